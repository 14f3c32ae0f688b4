"""Print runs outside the request: staff queue one (a row in the database),
and a worker builds the print file, preflights it and writes the job ticket
(print_run.order_print_run), then records the outcome for the staff page.

The worker is a thread of the catalog process (started with the app; off
with PRESSROOM_PRINT_WORKER=0) or `generate.py print-runs` run by hand or
from cron. A run is claimed with a conditional UPDATE, so with several
catalog processes on one database each run is built once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ..diagnostics import PressroomError
from ..options import BuildOptions
from .models import PrintRun
from .settings import CatalogSettings

log = logging.getLogger("pressroom.catalog")
POLL_SECONDS = 2.0
STALE_AFTER = dt.timedelta(hours=1)  # a run still "running" after this was cut off (a stopped process)


def queue_print_run(session: Session, slug: str, layout: str, lang: str, quantity: int) -> PrintRun:
    run = PrintRun(slug=slug, layout=layout, lang=lang, quantity=quantity, state="queued", message="")
    session.add(run)
    session.commit()
    return run


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _claim(session: Session) -> PrintRun | None:
    """The oldest queued run, now marked running by this worker; None if there is none."""
    session.execute(update(PrintRun).where(PrintRun.state == "running", PrintRun.started_at < _now() - STALE_AFTER)
                    .values(state="failed", message="interrupted: the worker stopped; order it again",
                            finished_at=_now()))
    session.commit()
    while (run_id := session.scalar(select(PrintRun.id).where(PrintRun.state == "queued")
                                    .order_by(PrintRun.id).limit(1))) is not None:
        claimed = session.execute(update(PrintRun).where(PrintRun.id == run_id, PrintRun.state == "queued")
                                  .values(state="running", started_at=_now()))
        session.commit()
        if claimed.rowcount == 1:
            return session.get(PrintRun, run_id)
    return None


def _execute(run: PrintRun, settings: CatalogSettings) -> tuple[str, str, str | None]:
    """(state, message, ticket PDF) of building one run."""
    from ..print_run import order_print_run

    options = BuildOptions(sources_dir=settings.sources_dir, layouts_dir=settings.layouts_dir,
                           output_dir=settings.output_dir, quiet=True, jobs=1)
    try:
        ticket, files = order_print_run(options, run.slug, run.layout, run.quantity, run.lang)
    except PressroomError as exc:
        return "failed", str(exc), None
    except Exception as exc:  # recorded for staff; the worker carries on
        log.exception("print run %s failed", run.id)
        return "failed", f"internal error: {type(exc).__name__}", None
    pdf = files[1].relative_to(settings.output_dir).as_posix()
    return "done", f"job ticket {ticket.ticket}: preflight {ticket.preflight}", pdf


def run_queued(sessions: sessionmaker, settings: CatalogSettings, limit: int | None = None) -> int:
    """Build queued runs (at most ``limit``) until none is left; how many were built."""
    done = 0
    while limit is None or done < limit:
        with sessions() as session:
            run = _claim(session)
            if run is None:
                return done
            state, message, pdf = _execute(run, settings)
            session.execute(update(PrintRun).where(PrintRun.id == run.id)
                            .values(state=state, message=message, ticket_pdf=pdf, finished_at=_now()))
            session.commit()
        done += 1
    return done


class PrintRunWorker:
    """A thread that builds queued print runs until it is stopped."""

    def __init__(self, sessions: sessionmaker, settings: CatalogSettings):
        self.sessions, self.settings = sessions, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="print-runs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_queued(self.sessions, self.settings)
            except Exception:  # a database that is briefly away: try again at the next poll
                log.exception("print-run worker")
            self._stop.wait(POLL_SECONDS)
