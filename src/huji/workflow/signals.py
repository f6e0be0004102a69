"""``clocks_recomputed`` is sent after open stage clocks got new due dates (a change
of the working-day schedule), with ``clocks=list[StageClock]``, so apps that copy a
clock's due date onto their records (for their queues' indexes) can follow."""

from django.dispatch import Signal

clocks_recomputed = Signal()


def on_schedule_changed(sender, *, years, **kwargs):
    from huji.workflow.clocks import clocks_recompute

    changed = clocks_recompute(years)
    if changed:
        clocks_recomputed.send(sender=clocks_recompute, clocks=changed)
