"""Packaging: the PyInstaller bundle runs without the checkout and finds every resource.

The tests marked `packaging` build the Linux one-folder bundle once (about two minutes on two
cores) in a temporary folder and run the bundled executable headless, from a folder outside
the checkout, with an isolated data folder: `--version`, `--bundle-selftest` (reference data,
Alembic env.py + revisions, keyring backends, Faker nl_NL, Babel, fonts + pypdfium2, QtSvg),
`init` + `stats --json`, `forms lint`, `demo` (Faker nl_NL and every service), a letter PDF
(templates and embedded fonts) and `--db X --screenshot OUT.png` on the demo database. They skip
only when PyInstaller is not installed (`pip install -e '.[packaging]'`).

KWALITEITSDIALOOG_TEST_BUNDLE=dist/Kwaliteitsdialoog/kwaliteitsdialoog runs them against a
bundle built beforehand instead of building one (the spec is not re-checked then).

The unmarked tests check the installer inputs (desktop file, AppStream metainfo, Inno Setup
script, version resource, icons, Qt modules) in a few seconds.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "nl.kwaliteitsdialoog.Kwaliteitsdialoog"
OUT = ROOT / "out"

with open(ROOT / "pyproject.toml", "rb") as _fh:
    VERSION = tomllib.load(_fh)["project"]["version"]


# --- installer inputs (fast) -----------------------------------------------------------------


def test_desktop_file_is_dutch_and_names_the_icon() -> None:
    path = PACKAGING / "linux" / f"{APP_ID}.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Kwaliteitsdialoog"
    assert "verpleeghuiszorg" in entry["GenericName"]
    assert "zorgaanbieders" in entry["Comment"]
    assert entry["Exec"] == "kwaliteitsdialoog"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].startswith("Office;")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_matches_desktop_file_and_version() -> None:
    path = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    versions = [r.get("version") for r in root.iter("release")]
    assert versions and versions[0] == VERSION, "add a <release> for the pyproject version"
    assert "zorgkantoren" in root.findtext("summary")
    if shutil.which("appstreamcli"):
        result = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_inno_setup_script_is_per_user_and_matches_the_spec() -> None:
    iss = (PACKAGING / "windows" / "kwaliteitsdialoog.iss").read_text(encoding="utf-8-sig")
    spec = (PACKAGING / "kwaliteitsdialoog.spec").read_text(encoding="utf-8")
    for line in (
        "PrivilegesRequired=lowest",
        r"DefaultDirName={autopf}\{#AppName}",
        r'MessagesFile: "compiler:Languages\Dutch.isl"',
        "{autoprograms}",
        "UninstallDisplayIcon=",
        "VersionInfoVersion=",
        "PURGEDATA",
        "MB_DEFBUTTON2",
        "usPostUninstall",
        "DelTree(UserDataPath()",
    ):
        assert line in iss, line
    # the executables and folder the installer packs are the ones the spec builds
    assert '#define AppExeName "Kwaliteitsdialoog.exe"' in iss
    assert '#define CliExeName "kwaliteitsdialoog-cli.exe"' in iss
    assert 'APP_NAME = "Kwaliteitsdialoog"' in spec and 'name=f"{CLI_NAME}-cli"' in spec
    assert (ROOT / "resources" / "icons" / "kwaliteitsdialoog.ico").is_file()
    # user data folder the uninstaller offers to delete = the app's data folder on Windows
    from desktop.services.paths import APP_NAME

    assert APP_NAME == "Kwaliteitsdialoog"
    assert '#define UserDataDir "{localappdata}\\" + AppName' in iss


def test_app_imports_no_qt_module_the_spec_leaves_out() -> None:
    """A view that starts using, say, QtPdf must not run from a checkout but fail in the
    bundle (views are loaded lazily, so the screenshot would not notice)."""
    import ast
    import re

    spec = (PACKAGING / "kwaliteitsdialoog.spec").read_text(encoding="utf-8")
    block = spec[spec.index("QT_EXCLUDES = [") : spec.index("EXCLUDES = QT_EXCLUDES")]
    excluded = set(re.findall(r'"(Qt[A-Za-z0-9]+)"', block))
    assert {"QtQml", "QtQuick", "QtWebEngineCore", "QtMultimedia", "QtDesigner"} <= excluded
    used: dict[str, str] = {}
    for folder in ("common", "desktop", "db", "forms"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "PySide6."
                ):
                    names = [node.module.split(".")[1]]
                elif isinstance(node, ast.Import):
                    names = [
                        a.name.split(".")[1] for a in node.names if a.name.startswith("PySide6.")
                    ]
                else:
                    continue
                for name in names:
                    used.setdefault(name, str(path.relative_to(ROOT)))
    clash = {name: where for name, where in used.items() if name in excluded}
    assert not clash, f"remove these from QT_EXCLUDES in the spec: {clash}"


def test_version_resource_comes_from_pyproject() -> None:
    sys.path.insert(0, str(PACKAGING))
    try:
        import version_info
    finally:
        sys.path.remove(str(PACKAGING))
    assert version_info.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert version_info.version_tuple("2.10.3rc1") == (2, 10, 3, 0)
    text = version_info.render({"version": "1.4.2"})

    def record(name):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: (name, args, kwargs)

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    info = eval(text, {n: record(n) for n in names})  # noqa: S307 - our own generated file
    ffi = info[2]["ffi"][2]
    assert ffi["filevers"] == (1, 4, 2, 0) and ffi["prodvers"] == (1, 4, 2, 0)
    assert "StringStruct('ProductVersion', '1.4.2')" in text
    assert "StringStruct('ProductName', 'Kwaliteitsdialoog')" in text


def test_icons_have_every_size() -> None:
    from PIL import Image

    icons = ROOT / "resources" / "icons"
    ET.parse(icons / "kwaliteitsdialoog.svg")
    for size in (16, 20, 24, 32, 40, 48, 64, 128, 256, 512):
        with Image.open(icons / "png" / f"kwaliteitsdialoog-{size}.png") as im:
            assert im.size == (size, size) and im.mode == "RGBA"
            assert im.getpixel((size // 2, size // 2))[3] == 255  # opaque tile, not empty
    with Image.open(icons / "kwaliteitsdialoog.ico") as ico:
        sizes = ico.info["sizes"]
    assert {(s, s) for s in (16, 24, 32, 48, 256)} <= set(sizes)


@pytest.mark.packaging
def test_selftest_passes_from_the_checkout(tmp_path: Path) -> None:
    """The bundle self-test is itself correct: it passes on the unpacked code."""
    result = _run([sys.executable, str(PACKAGING / "bundle_selftest.py"), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert all(r["status"] == "ok" for r in report.values()), report


@pytest.mark.packaging
@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_spec_branches_for_windows_and_macos(platform: str, tmp_path: Path) -> None:
    """Run the spec's code with PyInstaller's build steps recorded instead of executed, as on
    Windows/macOS: two executables with icon and version resource, the .app bundle."""
    pytest.importorskip("PyInstaller")
    source = (PACKAGING / "kwaliteitsdialoog.spec").read_text(encoding="utf-8")
    source = source.replace(
        'IS_WINDOWS = sys.platform == "win32"', f"IS_WINDOWS = {platform == 'win32'}"
    )
    source = source.replace(
        'IS_MACOS = sys.platform == "darwin"', f"IS_MACOS = {platform == 'darwin'}"
    )
    calls: dict[str, list] = {"EXE": [], "COLLECT": [], "BUNDLE": []}

    class Analysis:
        def __init__(self, scripts, **kwargs):  # type: ignore[no-untyped-def]
            self.kwargs = kwargs
            self.scripts, self.pure, self.binaries = scripts, [], []
            # Analysis turns (source, destination folder) pairs into (dest name, source, kind)
            self.datas = [
                (str(Path(dest) / Path(src).name), src, "DATA") for src, dest in kwargs["datas"]
            ]

    def record(kind):  # type: ignore[no-untyped-def]
        def build(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[kind].append(kwargs)
            return kind

        return build

    namespace = {
        "SPECPATH": str(PACKAGING),
        "workpath": str(tmp_path),
        "Analysis": Analysis,
        "PYZ": lambda *a, **k: "PYZ",
        "EXE": record("EXE"),
        "COLLECT": record("COLLECT"),
        "BUNDLE": record("BUNDLE"),
        "__name__": "__main__",
    }
    saved_path = list(sys.path)
    try:
        exec(compile(source, "kwaliteitsdialoog.spec", "exec"), namespace)  # noqa: S102
    finally:
        sys.path[:] = saved_path
    analysis = namespace["a"]
    hidden = set(analysis.kwargs["hiddenimports"])
    assert {
        "keyring.backends.Windows",
        "keyring.backends.macOS",
        "keyring.backends.SecretService",
        "desktop.cli",
        "bundle_selftest",
    } <= hidden
    assert any(m.startswith("desktop.commands.") for m in hidden)
    assert not any(
        ".providers." in m and m.endswith(".de_DE") for m in hidden
    )  # a trimmed Faker locale is not added back
    assert "faker.providers.address.de_DE" in analysis.kwargs["excludes"]
    assert "faker.providers.address.nl_NL" not in analysis.kwargs["excludes"]
    assert "PySide6.QtQml" in analysis.kwargs["excludes"]
    dests = {Path(dest).as_posix() for dest, _src, _kind in analysis.datas}
    assert {
        "db/migrations/env.py",
        "db/migrations/script.py.mako",
        "resources/reference/themes.yaml",
        "resources/icons/kwaliteitsdialoog.svg",
    } <= dests
    assert any(d.startswith("db/migrations/versions/") for d in dests)
    assert not any("__pycache__" in d for d in dests)
    if platform == "win32":
        names = [c["name"] for c in calls["EXE"]]
        assert names == ["Kwaliteitsdialoog", "kwaliteitsdialoog-cli"]
        assert [c["console"] for c in calls["EXE"]] == [False, True]
        for exe in calls["EXE"]:
            assert exe["icon"].endswith("kwaliteitsdialoog.ico") and not exe["strip"]
            version_file = Path(exe["version"])
            assert version_file.parent == tmp_path
            assert f"StringStruct('ProductVersion', '{VERSION}')" in version_file.read_text("utf-8")
        assert calls["BUNDLE"] == []
    else:
        assert [c["name"] for c in calls["EXE"]] == ["kwaliteitsdialoog"]
        assert calls["EXE"][0]["icon"].endswith(".icns")
        bundle = calls["BUNDLE"][0]
        assert bundle["name"] == "Kwaliteitsdialoog.app" and bundle["version"] == VERSION
    assert calls["COLLECT"][0]["name"] == "Kwaliteitsdialoog"


# --- the bundle (slow: builds with PyInstaller) -----------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "PYINSTALLER", "VIRTUAL_ENV"))
    }
    env.update(
        KWALITEITSDIALOOG_DATA_DIR=str(home / "data"),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_RUNTIME_DIR=str(home),
    )
    return env


def _run(cmd: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        cmd, cwd=cwd, env=_env(cwd), capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("KWALITEITSDIALOOG_TEST_BUNDLE")
    if prebuilt:
        return Path(prebuilt).resolve()
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e '.[packaging]')")
    build = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(build / "dist"),
            "--workpath",
            str(build / "work"),
            str(PACKAGING / "kwaliteitsdialoog.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    print(f"\nPyInstaller build: {time.perf_counter() - started:.0f} s")
    # the console executable (on Windows the windowed one has no stdout)
    name = "kwaliteitsdialoog-cli.exe" if sys.platform == "win32" else "kwaliteitsdialoog"
    executable = build / "dist" / "Kwaliteitsdialoog" / name
    assert executable.is_file() and os.access(executable, os.X_OK)
    return executable


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.packaging
def test_bundle_reports_its_version(bundle: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    result = _run([str(bundle), "--version"], tmp_path)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Kwaliteitsdialoog {VERSION}"
    size = _dir_size(bundle.parent)
    print(f"\nbundle {size / 1e6:.0f} MB; --version {elapsed:.2f} s")
    assert size < 400e6, f"bundle grew to {size / 1e6:.0f} MB"


@pytest.mark.packaging
def test_bundle_selftest(bundle: Path, tmp_path: Path) -> None:
    result = _run([str(bundle), "--bundle-selftest", "--json"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    failed = {k: v for k, v in report.items() if v["status"] != "ok"}
    assert not failed, failed
    assert report["_bundle"]["detail"].startswith(str(bundle.parent))  # frozen, not checkout


@pytest.mark.packaging
def test_bundle_contains_every_resource(bundle: Path) -> None:
    """Every data file of the checkout (resources, forms, migrations) is in the bundle."""
    internal = bundle.parent / "_internal"
    missing = []
    for folder, with_py in (
        ("resources", False),
        ("forms", False),
        ("desktop", False),
        ("db/migrations", True),
    ):
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if path.suffix == ".py" and not with_py:
                continue
            rel = path.relative_to(ROOT)
            if not (internal / rel).is_file():
                missing.append(str(rel))
    assert not missing, missing


@pytest.mark.packaging
def test_bundle_init_and_stats(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    result = _run([str(bundle), "init", "--db", str(db), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["themes"] >= 8 and created["regions"] > 0
    result = _run([str(bundle), "stats", "--json", "--db", str(db)], tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["theme"] == created["themes"] and stats["region"] == created["regions"]
    # a refusal is still a calm Dutch message with exit code 1, also from the bundle
    result = _run([str(bundle), "stats", "--db", str(tmp_path / "nope.sqlite")], tmp_path)
    assert result.returncode == 1 and "bestaat niet" in result.stderr


@pytest.fixture(scope="module")
def demo_db(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data made by the bundle itself (Faker nl_NL, form definitions, every service)."""
    work = tmp_path_factory.mktemp("demo")
    db = work / "demo.sqlite"
    result = _run(
        [str(bundle), "demo", "--scale", "small", "--db", str(db), "--json"], work, timeout=300
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    counts = json.loads(result.stdout)["counts"]
    assert counts["location"] > 0 and counts["site_visit"] > 0
    return db


@pytest.mark.packaging
def test_bundle_forms_lint(bundle: Path, tmp_path: Path) -> None:
    result = _run([str(bundle), "forms", "lint"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.packaging
def test_bundle_screenshot(bundle: Path, demo_db: Path, tmp_path: Path) -> None:
    """The window starts from the bundle, opens the first demo location and saves a PNG."""
    from PIL import Image

    shot = tmp_path / "shot.png"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(bundle), "--db", str(demo_db), "--screenshot", str(shot)],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    to_png = None
    while proc.poll() is None and time.perf_counter() - started < 180:
        if to_png is None and shot.exists():
            to_png = time.perf_counter() - started
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, out + err
    with Image.open(shot) as im:
        assert im.width >= 800 and im.height >= 500
        assert len(im.convert("RGB").getcolors(1 << 20) or []) > 20  # not a blank window
    OUT.mkdir(exist_ok=True)
    shutil.copy(shot, OUT / "bundle_screenshot.png")
    print(
        f"\n--screenshot from the bundle: PNG after {to_png or elapsed:.2f} s, "
        f"process done after {elapsed:.2f} s"
    )


@pytest.mark.packaging
def test_bundle_makes_a_letter_pdf(bundle: Path, demo_db: Path, tmp_path: Path) -> None:
    """Letter templates and fonts are inside: a concept letter PDF with embedded fonts."""
    import sqlite3

    from pypdf import PdfReader

    with sqlite3.connect(demo_db) as conn:
        # any decided request can get a concept letter, whatever the demo's states
        request_id, provider_name = conn.execute(
            "SELECT r.id, p.name FROM budget_request r JOIN provider p ON p.id = r.provider_id "
            "WHERE r.decision IS NOT NULL AND r.deleted_at IS NULL ORDER BY r.id LIMIT 1"
        ).fetchone()
        maker = conn.execute(
            "SELECT initials FROM app_user WHERE roles LIKE '%PURCHASER%' ORDER BY initials LIMIT 1"
        ).fetchone()[0]
    pdf = tmp_path / "brief.pdf"
    result = _run(
        [
            str(bundle),
            "letters",
            "make",
            "--db",
            str(demo_db),
            "--request",
            request_id,
            "--out",
            str(pdf),
            "--as",
            maker,
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert " ".join(provider_name.split()) in " ".join(text.split())
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("LiberationSans" in f for f in fonts), fonts


@pytest.mark.packaging
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux tarball")
def test_linux_tarball_installs_and_uninstalls(bundle: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(PACKAGING / "linux"))
    try:
        import make_tarball
    finally:
        sys.path.remove(str(PACKAGING / "linux"))
    # uncompressed: gzip of 250 MB costs half a minute of CPU and tests nothing of ours
    target = make_tarball.make_tarball(bundle.parent.parent, tmp_path, compress=False)
    assert target.name.startswith(f"kwaliteitsdialoog-{VERSION}-linux-")
    top = target.name.removesuffix(".tar")
    with tarfile.open(target) as tar:
        members = {m.name: m for m in tar.getmembers()}
    exe = members[f"{top}/Kwaliteitsdialoog/kwaliteitsdialoog"]
    assert exe.mode & 0o111
    assert members[f"{top}/install.sh"].mode & 0o111
    for name in (
        f"share/applications/{APP_ID}.desktop",
        f"share/metainfo/{APP_ID}.metainfo.xml",
        f"share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"share/icons/hicolor/256x256/apps/{APP_ID}.png",
        "LEESMIJ.txt",
        "uninstall.sh",
    ):
        assert f"{top}/{name}" in members, name
    assert {m.uid for m in members.values()} == {0}

    # install.sh into a prefix, start through the bin/ symlink, uninstall.sh
    with tarfile.open(target) as tar:
        tar.extractall(tmp_path / "x", filter="tar")
    prefix = tmp_path / "prefix"
    env = {**_env(tmp_path), "PREFIX": str(prefix)}
    done = subprocess.run(
        ["sh", str(tmp_path / "x" / top / "install.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = _run([str(prefix / "bin" / "kwaliteitsdialoog"), "--version"], tmp_path)
    assert result.stdout.strip() == f"Kwaliteitsdialoog {VERSION}", result.stderr
    desktop = (prefix / "share" / "applications" / f"{APP_ID}.desktop").read_text("utf-8")
    assert f"Exec={prefix}/lib/kwaliteitsdialoog/kwaliteitsdialoog" in desktop
    assert (prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    done = subprocess.run(
        ["sh", str(tmp_path / "x" / top / "uninstall.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (prefix / "lib" / "kwaliteitsdialoog").exists()
    assert not (prefix / "bin" / "kwaliteitsdialoog").exists()
