"""Windows version resource (file properties) for the executables, from pyproject.toml.

Used by kwaliteitsdialoog.spec on Windows; `python packaging/version_info.py OUT.txt` writes
the same file by hand (PyInstaller's --version-file format).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0); pre-release suffixes ('1.2.0rc1') are dropped."""
    import re

    numbers = []
    for part in version.split(".")[:4]:
        match = re.match(r"\d+", part)
        numbers.append(int(match.group()) if match else 0)
        if not part.isdigit():
            break
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def render(project: dict, app_name: str = "Kwaliteitsdialoog") -> str:
    version = project["version"]
    vt = version_tuple(version)
    company = "Kwaliteitsdialoog"
    strings = {
        "CompanyName": company,
        "FileDescription": f"{app_name} – kwaliteitssturing verpleeghuiszorg",
        "FileVersion": version,
        "InternalName": app_name,
        "LegalCopyright": f"© {company}",
        "OriginalFilename": f"{app_name}.exe",
        "ProductName": app_name,
        "ProductVersion": version,
    }
    string_structs = ",\n            ".join(
        f"StringStruct({k!r}, {v!r})" for k, v in strings.items()
    )
    # 0x0413 = Dutch (Netherlands), 1200 = Unicode code page
    return f"""# UTF-8
# Generated from pyproject.toml by packaging/version_info.py - do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={vt},
    prodvers={vt},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '041304B0',
        [
            {string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0413, 1200])])
  ]
)
"""


def write_version_file(
    target: Path, project: dict | None = None, app_name: str = "Kwaliteitsdialoog"
) -> Path:
    if project is None:
        with open(ROOT / "pyproject.toml", "rb") as fh:
            project = tomllib.load(fh)["project"]
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(project, app_name), encoding="utf-8")
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "file_version_info.txt")
    print(write_version_file(out))
