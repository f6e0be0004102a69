"""Production mode refuses unsafe configuration; a safe one passes --deploy checks.

Settings are read once per process, so each case runs ``huji`` in a subprocess
with its own environment.
"""

import os
import secrets
import subprocess
import sys

import pytest

SAFE_KEY = secrets.token_urlsafe(64)


def run_huji(tmp_path, *args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HUJI_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment.update(
        HUJI_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="huji.conf.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "huji.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        (
            {
                "HUJI_ALLOWED_HOSTS": "huji.example.gov.cn",
                "HUJI_SECRET_KEY": SAFE_KEY,
                "HUJI_DEBUG": "1",
            },
            "HUJI_DEBUG is on",
        ),
        ({"HUJI_ALLOWED_HOSTS": "huji.example.gov.cn"}, "HUJI_SECRET_KEY"),
        ({"HUJI_SECRET_KEY": SAFE_KEY}, "HUJI_ALLOWED_HOSTS is empty"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, env, problem):
    result = run_huji(tmp_path, "check", HUJI_ENV="production", **env)

    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert problem in result.stderr


def test_production_with_safe_settings_passes_deploy_checks(tmp_path):
    result = run_huji(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        HUJI_ENV="production",
        HUJI_SECRET_KEY=SAFE_KEY,
        HUJI_ALLOWED_HOSTS="huji.example.gov.cn",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_to_chinese_and_shanghai_time():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert dict(settings.LANGUAGES).keys() == {"zh-hans", "en"}
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
