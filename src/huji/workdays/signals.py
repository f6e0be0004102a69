"""Signals other apps connect to.

``schedule_changed`` is sent after an operator's change to the announced schedule
has been committed, with ``years=set[int]``: the years whose working days may have
changed. Apps that store deadlines computed in working days (stage clocks) connect a
receiver that recomputes their open deadlines falling in, or counted across, those
years::

    from huji.workdays.signals import schedule_changed

    def recompute(sender, *, years, **kwargs): ...

    schedule_changed.connect(recompute, dispatch_uid="workflow.recompute_clocks")
"""

from django.dispatch import Signal

schedule_changed = Signal()
