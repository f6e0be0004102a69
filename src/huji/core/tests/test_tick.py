import io

import pytest
from django.core.management import call_command

from huji.core.management.commands.tick import JOBS


@pytest.mark.django_db
def test_tick_runs_every_periodic_job_once():
    out = io.StringIO()

    call_command("tick", stdout=out)

    printed = out.getvalue()
    for name, _ in JOBS:
        assert f"{name}: " in printed
    assert "closed_no_visit=0" in printed  # the applications job reported


@pytest.mark.django_db
def test_tick_reports_a_failing_job_and_runs_the_rest(monkeypatch):
    from huji.core.management.commands import tick

    real = tick.call_command

    def failing(name, **kwargs):
        if name == "residence_tick":
            raise RuntimeError("boom")
        return real(name, **kwargs)

    monkeypatch.setattr(tick, "call_command", failing)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit):
        call_command("tick", stdout=out, stderr=err)

    assert "residence_tick failed: RuntimeError: boom" in err.getvalue()
    assert "materials_cleanup: " in out.getvalue()
