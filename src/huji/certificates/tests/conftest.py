import pytest

from huji.certificates import signing


@pytest.fixture(autouse=True)
def _fresh_key(tmp_path, settings, monkeypatch):
    monkeypatch.delenv(signing.ENV_NAME, raising=False)
    settings.DATA_DIR = tmp_path
    signing.private_key.cache_clear()
    yield
    signing.private_key.cache_clear()
