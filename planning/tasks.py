"""Planning's background jobs: the nightly contact cadence check.

The service is imported inside the task, as the other apps' tasks do.
"""

from celery import shared_task


@shared_task
def cadence_check_task() -> dict[str, int]:
    """Flag the accounts overdue for contact and send each owner a digest.

    Its name, `planning.tasks.cadence_check_task`, is stored in the nightly schedule
    (the planning migration that creates the cadence flags): the task stays in this module.
    """
    from .services import cadence_check

    result = cadence_check()
    return {"flagged": result.flagged, "cleared": result.cleared, "digests": result.digests}
