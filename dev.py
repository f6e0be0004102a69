#!/usr/bin/env python3
"""Huji's two commands for a fresh machine that has only Python >= 3.12.

    python3 dev.py demo     start the demo: SQLite, demo data, web server + worker
    python3 dev.py test     run the whole test suite

Each installs what it needs first: uv (into .cache/bootstrap), then the locked
dependencies (into .venv); for the browser tests, Debian's Chromium and CJK fonts
when running as root on Debian. Anything after the command is passed on
(``python3 dev.py test -k workdays``).
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BOOTSTRAP = ROOT / ".cache" / "bootstrap"
VENV = ROOT / ".venv"
UV_VERSION = "0.13.9"
MIN_PYTHON = (3, 12)


def say(message: str) -> None:
    print(f"[huji] {message}", flush=True)


def ensure_python() -> None:
    if sys.version_info >= MIN_PYTHON:
        return
    for name in ("python3.13", "python3.12", "python3.14"):
        found = shutil.which(name)
        if found:
            say(f"Python {sys.version.split()[0]} is too old; re-running with {found}")
            os.execv(found, [found, __file__, *sys.argv[1:]])
    sys.exit("Huji needs Python >= 3.12 (Django 6.1). Install it and run again.")


def find_uv() -> str:
    bundled = BOOTSTRAP / "bin" / "uv"
    if bundled.exists():
        return str(bundled)
    if shutil.which("uv"):
        return shutil.which("uv")
    say("installing uv (first run only)…")
    venv.EnvBuilder(with_pip=True, clear=True).create(BOOTSTRAP)
    subprocess.run(
        [
            str(BOOTSTRAP / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"uv=={UV_VERSION}",
        ],
        check=True,
    )
    return str(bundled)


def ensure_environment() -> None:
    uv = find_uv()
    env = dict(
        os.environ, UV_PYTHON_DOWNLOADS="never", UV_PROJECT_ENVIRONMENT=str(VENV)
    )
    say("installing locked dependencies into .venv…")
    subprocess.run(
        [uv, "sync", "--frozen", "--quiet", "--python", sys.executable],
        cwd=ROOT,
        env=env,
        check=True,
    )


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HUJI_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def ensure_browser() -> None:
    """Install Debian's Chromium and a CJK font for the browser tests when we can."""
    fonts = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if chromium_path() and fonts.exists():
        return
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        say(
            "Chromium or CJK fonts missing and apt-get unavailable: browser tests "
            "will be skipped. Install 'chromium' and 'fonts-noto-cjk' to run them."
        )
        return
    say("installing Chromium and CJK fonts for the browser tests (apt-get)…")
    quiet = {"stdout": subprocess.DEVNULL}
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, **quiet)
    subprocess.run(
        [
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
            "fonts-noto-cjk",
        ],
        check=True,
        env=env,
        **quiet,
    )


def run(argv: list[str]) -> int:
    os.chdir(ROOT)
    bin_dir = VENV / "bin"
    if argv[0] == "demo":
        return subprocess.call([str(bin_dir / "huji"), "demo", *argv[1:]])
    if argv[0] == "test":
        ensure_browser()
        browser = chromium_path()
        env = dict(os.environ)
        if browser:
            env.setdefault("HUJI_CHROMIUM", browser)
        return subprocess.call([str(bin_dir / "pytest"), *argv[1:]], env=env)
    sys.exit(f"unknown command {argv[0]!r}: use 'demo' or 'test'")


def main() -> None:
    ensure_python()
    if len(sys.argv) < 2 or sys.argv[1] in {"-h", "--help"}:
        print(__doc__)
        sys.exit(0)
    ensure_environment()
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
