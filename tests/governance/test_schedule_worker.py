"""The real worker loop carries out a schedule that fell due while no worker ran, once."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.core.worker import WorkerLoop
from crewbase.governance import schedules
from crewbase.governance.models import LifecycleSchedule, ScheduleStatus
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_real_worker_runs_a_missed_schedule_once_after_a_restart():
    account, owner = make_account()
    agent = make_member(account, "agent")
    start = clock.now()
    schedules.schedule_change(
        actor=actor_for(owner),
        member=agent,
        action="deactivate",
        run_at=(start + timedelta(hours=1)).isoformat(),
        reason="temporary_leave",
    )
    # No worker ran while the time passed; then two workers start one after the other.
    clock.freeze(start + timedelta(hours=3))
    try:
        for _ in range(2):
            loop = WorkerLoop(sweep_interval=0.1, poll_interval=0.05, say=lambda _: None)

            def run(loop=loop):
                try:
                    loop.run_forever()
                finally:
                    connection.close()

            thread = threading.Thread(target=run)
            thread.start()
            try:
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:  # a hang guard, not a timing assertion
                    if LifecycleSchedule.objects.filter(status=ScheduleStatus.DONE).exists():
                        break
                    time.sleep(0.05)
                time.sleep(0.3)  # a few more sweeps, which must change nothing
            finally:
                loop.stop()
                thread.join(30)
    finally:
        clock.freeze(None)
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.DEACTIVATED
    assert (
        ActivityEvent.objects.filter(action="member.deactivated", target_id=agent.pk).count() == 1
    )
    assert LifecycleSchedule.objects.get().status == ScheduleStatus.DONE
