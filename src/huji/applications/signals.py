"""Receivers: keep ``Application.due_on`` equal to its running clock's due date
when a working-day schedule change moved it."""


def on_clocks_recomputed(sender, *, clocks, **kwargs):
    from huji.applications.services import due_dates_follow_clocks

    due_dates_follow_clocks(clocks_changed=clocks)
