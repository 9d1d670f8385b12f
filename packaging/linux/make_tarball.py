"""Pack the Linux one-folder build into kwaliteitsdialoog-<version>-linux-<arch>.tar.gz.

    pyinstaller --noconfirm packaging/kwaliteitsdialoog.spec
    python packaging/linux/make_tarball.py [--dist dist] [--out dist] [--fast]

The tarball holds one top folder with the bundle, the .desktop file, the AppStream metainfo,
the icons (hicolor theme layout) and install.sh / uninstall.sh for a per-user install in
~/.local (or system-wide with `sudo PREFIX=/usr/local ./install.sh`). Prints the tarball path.
"""

from __future__ import annotations

import argparse
import io
import platform
import sys
import tarfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
APP_ID = "nl.kwaliteitsdialoog.Kwaliteitsdialoog"
BUNDLE = "Kwaliteitsdialoog"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = int((ROOT / "pyproject.toml").stat().st_mtime)
    tar.addfile(info, io.BytesIO(data))


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def make_tarball(dist: Path, out: Path, fast: bool = False, compress: bool = True) -> Path:
    """`fast`: gzip level 1; `compress=False`: a plain .tar (the tests use it)."""
    bundle = dist / BUNDLE
    executable = bundle / "kwaliteitsdialoog"
    if not executable.is_file():
        raise SystemExit(
            f"{executable} ontbreekt: bouw eerst de bundel met "
            "'pyinstaller --noconfirm packaging/kwaliteitsdialoog.spec'."
        )
    version = project()["version"]
    top = f"kwaliteitsdialoog-{version}-linux-{platform.machine()}"
    out.mkdir(parents=True, exist_ok=True)
    target = out / (f"{top}.tar.gz" if compress else f"{top}.tar")
    icons = ROOT / "resources" / "icons"
    options = {"mode": "w:gz", "compresslevel": 1 if fast else 6} if compress else {"mode": "w"}
    with tarfile.open(target, **options) as tar:  # type: ignore[call-overload]
        tar.add(bundle, arcname=f"{top}/{BUNDLE}", filter=_normalise)
        tar.add(
            HERE / f"{APP_ID}.desktop",
            arcname=f"{top}/share/applications/{APP_ID}.desktop",
            filter=_normalise,
        )
        tar.add(
            HERE / f"{APP_ID}.metainfo.xml",
            arcname=f"{top}/share/metainfo/{APP_ID}.metainfo.xml",
            filter=_normalise,
        )
        tar.add(
            icons / "kwaliteitsdialoog.svg",
            arcname=f"{top}/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
            filter=_normalise,
        )
        for size in ICON_SIZES:
            tar.add(
                icons / "png" / f"kwaliteitsdialoog-{size}.png",
                arcname=f"{top}/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png",
                filter=_normalise,
            )
        for script in ("install.sh", "uninstall.sh"):
            _add_bytes(tar, f"{top}/{script}", (HERE / script).read_bytes(), mode=0o755)
        _add_bytes(tar, f"{top}/LEESMIJ.txt", (HERE / "LEESMIJ.txt").read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dist",
        type=Path,
        default=ROOT / "dist",
        help="PyInstaller's dist folder (default: dist/)",
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: --dist)")
    parser.add_argument("--fast", action="store_true", help="fastest compression (for tests)")
    args = parser.parse_args(argv)
    print(make_tarball(args.dist, args.out or args.dist, fast=args.fast))
    return 0


if __name__ == "__main__":
    sys.exit(main())
