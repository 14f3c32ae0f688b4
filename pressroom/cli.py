"""Command line: turn arguments into BuildOptions, call the package, map results
to exit codes (0 clean, 1 content errors, 2 usage errors)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .diagnostics import PressroomError, Report, UsageError, display_path
from .options import ENVIRONMENT, VARIANTS, BuildOptions, path_setting, scheduler_setting
from .outputs import OUTPUTS

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def positive_int(value: str) -> int:
    """An argparse type: a whole number, at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def path_value(value: str) -> Path:
    """An argparse type: a path, refused when no file system could hold it."""
    if "\x00" in value:
        raise argparse.ArgumentTypeError("a path cannot contain a NUL character")
    return Path(value)


def _common_options() -> argparse.ArgumentParser:
    defaults = BuildOptions()
    common = argparse.ArgumentParser(add_help=False)
    for flag, name, what in (("--sources", "sources_dir", "sources folder"), ("--layouts", "layouts_dir", "layouts folder"),
                             ("--output", "output_dir", "output folder"),
                             ("--cmyk-profile", "cmyk_profile", "printer's CMYK ICC profile for print files")):
        common.add_argument(flag, dest=name, type=path_value, default=argparse.SUPPRESS, metavar=name.split("_")[-1].upper().replace("PROFILE", "FILE"),
                            help=f"{what} (default: ${ENVIRONMENT[name]}, else {getattr(defaults, name)})")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print only problems and the summary")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show a traceback when something fails")
    return common


def _add_build_command(commands, common: argparse.ArgumentParser) -> None:
    build = commands.add_parser("build", parents=[common], help="build PDFs (the default command)")
    build.add_argument("slugs", nargs="*", metavar="SLUG", help="publications to build (default: all)")
    build.add_argument("--lang", dest="langs", action="append", default=[], metavar="LANG",
                       help="only this language (repeatable)")
    build.add_argument("--layout", dest="layouts_selected", action="append", default=[], metavar="NAME",
                       help="only this layout (repeatable)")
    build.add_argument("--variant", dest="variants", action="append", default=[], choices=VARIANTS,
                       help="only this output kind (repeatable; default: all): "
                            + "; ".join(f"{k.name}: {k.summary}" for k in OUTPUTS if k.selectable))
    build.add_argument("-j", "--jobs", type=positive_int, default=argparse.SUPPRESS, metavar="N",
                       help="worker processes (default: the number of CPUs)")
    build.add_argument("--scheduler", default=argparse.SUPPRESS, metavar="ADDRESS",
                       help="render on the Dask cluster at ADDRESS, e.g. tcp://10.0.0.5:8786 "
                            "(default: $PRESSROOM_SCHEDULER, else local worker processes)")
    build.add_argument("--force", action="store_true", default=argparse.SUPPRESS,
                       help="rebuild everything, changed or not")
    build.add_argument("--explain", action="store_true",
                       help="say why each job is rebuilt (new, which inputs changed, files missing, ...)")


def make_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="generate.py", parents=[common],
        description="Build printable publications from sources/ with the layouts in layouts/.")
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    _add_build_command(commands, common)
    commands.add_parser("list", parents=[common], help="list publications, languages and layouts")
    check = commands.add_parser("check", parents=[common],
                                help="check sources without building: schema, references, translations, "
                                     "links, reading level, fit and images")
    check.add_argument("slugs", nargs="*", metavar="SLUG", help="publications to check (default: all)")
    check.add_argument("--lang", dest="langs", action="append", default=[], metavar="LANG",
                       help="only this language (repeatable)")
    check.add_argument("--layout", dest="layouts_selected", action="append", default=[], metavar="NAME",
                       help="only this layout (repeatable)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json: one object with diagnostics and reading levels, for tools")
    check.add_argument("--no-layout", dest="render", action="store_false",
                       help="skip laying out the pages (faster; no fit or image checks)")

    check_print = commands.add_parser("preflight", parents=[common],
                                      help="check print files as a printer would (default: all in the manifest)")
    check_print.add_argument("targets", nargs="*", metavar="SLUG|FILE")

    order = commands.add_parser("print-order", parents=[common],
                                help="build, preflight and write a job ticket for a print run")
    order.add_argument("slug", metavar="SLUG")
    order.add_argument("--layout", dest="order_layout", required=True, metavar="NAME")
    order.add_argument("--quantity", type=int, required=True, metavar="N")
    order.add_argument("--lang", dest="order_lang", default="en", metavar="LANG")

    new = commands.add_parser("new", parents=[common], help="start a new publication in sources/")
    new.add_argument("slug", metavar="SLUG", help="folder name, lowercase words joined by '-'")
    new.add_argument("--title", required=True, help="the title in the text's language")
    new.add_argument("--lang", dest="new_lang", default="en", metavar="LANG", help="language of the text (default: en)")
    new.add_argument("--layout", dest="new_layout", default="fact-sheet", metavar="NAME",
                     help="layout to build it in (default: fact-sheet)")

    preview = commands.add_parser("preview", parents=[common],
                                  help="show one publication as HTML and PDF in the browser, reloaded on every save")
    preview.add_argument("slug", metavar="SLUG")
    preview.add_argument("--lang", dest="preview_lang", default="en", metavar="LANG")
    preview.add_argument("--layout", dest="preview_layout", default=None, metavar="NAME",
                         help="layout to show first (default: the publication's first)")
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--port", type=int, default=8001)

    serve = commands.add_parser("serve", parents=[common], help="run the web catalog (DATABASE_URL to use PostgreSQL)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    commands.add_parser("print-runs", parents=[common],
                        help="build the print runs queued in the catalog (where its own worker is off)")

    staff = commands.add_parser("staff", parents=[common], help="manage staff accounts for the catalog")
    staff_commands = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    staff_add = staff_commands.add_parser("add", help="add a staff account, or set its password")
    staff_add.add_argument("email")
    staff_add.add_argument("--password-stdin", action="store_true",
                           help="read the password from standard input instead of asking for it")
    staff_commands.add_parser("remove", help="remove a staff account and end its sessions").add_argument("email")
    return parser


def options_from(args: argparse.Namespace) -> BuildOptions:
    given = vars(args)
    defaults = BuildOptions()
    return BuildOptions(
        sources_dir=path_setting("sources_dir", given.get("sources_dir")),
        layouts_dir=path_setting("layouts_dir", given.get("layouts_dir")),
        output_dir=path_setting("output_dir", given.get("output_dir")),
        slugs=tuple(given.get("slugs", ())),
        langs=tuple(given.get("langs", ())),
        layouts=tuple(given.get("layouts_selected", ())),
        variants=tuple(given.get("variants", ())),
        jobs=given.get("jobs", defaults.jobs),
        scheduler=scheduler_setting(given.get("scheduler")),
        force=given.get("force", False),
        cmyk_profile=path_setting("cmyk_profile", given.get("cmyk_profile")),
        quiet=given.get("quiet", False),
        debug=given.get("debug", False),
    ).resolved()


def _print_report(report: Report) -> None:
    for diagnostic in report.sorted():
        print(diagnostic, file=sys.stderr)


def _exit_code(report: Report) -> int:
    return EXIT_CONTENT if report.errors else EXIT_OK


def run_build(options: BuildOptions, explain: bool = False) -> int:
    from .build import build
    from .progress import make_progress, print_summary

    result = build(options, progress=make_progress(options.quiet))
    if explain:
        for job, why in sorted(result.reasons.items()):
            print(f"{job}: rebuilt: {why}", file=sys.stderr)
    _print_report(result.report)
    print_summary(result, options.quiet)
    return _exit_code(result.report)


def run_check(options: BuildOptions, args: argparse.Namespace) -> int:
    import json

    from .check import check

    result = check(options, strict=args.strict, render=args.render)
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return _exit_code(result.report)
    _print_report(result.report)
    if not options.quiet:
        for reading in result.readings:
            if reading.section is None:
                print(f"{reading.path}: reads at {reading.reading.describe()}, target {reading.target:g}, "
                      f"{reading.reading.words} words")
        for found in result.accessibility:
            total = found["passed"] + found["failed"]
            print(f"{display_path(Path(found['source']))} ({found['layout']}): accessibility: {found['passed']} of "
                  f"{total} PDF/UA-1 and HHS checklist items pass")
        if result.accessibility:
            print("accessibility, for a person to review: " + "; ".join(result.accessibility[0]["needs_review"]))
    print(f"{result.editions} edition(s) checked: {len(result.report.errors)} error(s), "
          f"{len(result.report.warnings)} warning(s)", file=sys.stderr)
    return _exit_code(result.report)


def run_list(options: BuildOptions) -> int:
    from .publication_list import publication_rows

    rows, report = publication_rows(options)
    for row in rows:
        print(f"{row.slug:40} {row.number:12} {','.join(row.languages):6} {','.join(row.layouts):24} {row.title}")
    if report.errors:
        print(f"{len(report.errors)} error(s) in sources: run 'generate.py check'", file=sys.stderr)
    return _exit_code(report)


def run_preflight(options: BuildOptions, args: argparse.Namespace) -> int:
    from .print_run import preflight_targets

    results = preflight_targets(options, args.targets)
    for result in results:
        for finding in result.findings:
            print(finding.format(display_path(result.path)))
    failed = [r for r in results if r.errors]
    print(f"{len(results)} file(s) checked, {len(failed)} with errors", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def run_print_order(options: BuildOptions, args: argparse.Namespace) -> int:
    from .print_run import order_print_run

    ticket, files = order_print_run(options, args.slug, args.order_layout, args.quantity, args.order_lang)
    for path in files[:2]:
        print(display_path(path))
    print(f"{len(files) - 2} proof image(s) in {display_path(files[0].parent / 'proofs')}")
    print(f"job ticket {ticket.ticket}: {ticket.quantity:,} x {ticket.title} ({ticket.layout}), "
          f"preflight {ticket.preflight}", file=sys.stderr)
    return EXIT_OK if ticket.preflight == "passed" else EXIT_CONTENT


def run_new(options: BuildOptions, args: argparse.Namespace) -> int:
    from .scaffold import new_publication

    files = new_publication(options, args.slug, args.title, args.new_lang, args.new_layout)
    for path in files:
        print(display_path(path))
    print(f"next: edit {display_path(files[1])}, then 'generate.py preview {args.slug}' to see it as you write",
          file=sys.stderr)
    return EXIT_OK


def run_preview(options: BuildOptions, args: argparse.Namespace) -> int:
    import uvicorn

    from .project import check_selection
    from .preview import Preview, create_preview_app
    from .render.layouts import discover_layouts

    check_selection(BuildOptions(sources_dir=options.sources_dir, layouts_dir=options.layouts_dir,
                                  slugs=(args.slug,)), discover_layouts(options.layouts_dir))
    preview = Preview(options, args.slug, args.preview_lang, args.preview_layout)
    print(f"preview of {args.slug} on http://{args.host}:{args.port}/ : it reloads when a file in "
          f"{display_path(options.sources_dir)}/ or {display_path(options.layouts_dir)}/ changes (Ctrl+C stops)",
          file=sys.stderr)
    uvicorn.run(create_preview_app(preview), host=args.host, port=args.port, access_log=False,
                log_level="warning", timeout_graceful_shutdown=1)
    return EXIT_OK


def _catalog_settings(options: BuildOptions):
    from .catalog.settings import CatalogSettings

    return CatalogSettings.from_env(output_dir=options.output_dir, sources_dir=options.sources_dir,
                                    layouts_dir=options.layouts_dir)


def run_serve(options: BuildOptions, args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from .catalog.web import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = _catalog_settings(options)
    app = create_app(settings)
    print(f"catalog on http://{args.host}:{args.port}/ (database: {settings.database_url.split('@')[-1]})",
          file=sys.stderr)
    # uvicorn's own access log would record client addresses: the app logs requests without them.
    # Forwarded headers are the app's to judge (PRESSROOM_TRUSTED_PROXIES), not uvicorn's.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info", proxy_headers=False)
    return EXIT_OK


def run_print_runs(options: BuildOptions) -> int:
    from .catalog.db import make_engine, migrate, session_factory
    from .catalog.print_runs import run_queued

    settings = _catalog_settings(options)
    engine = make_engine(settings.database_url)
    migrate(engine)
    built = run_queued(session_factory(engine), settings)
    print(f"{built} print run(s) built; see the catalog's staff page 'Print runs'", file=sys.stderr)
    return EXIT_OK


def run_staff(options: BuildOptions, args: argparse.Namespace) -> int:
    import getpass

    from .catalog.db import make_engine, migrate, session_factory
    from .catalog.staff_auth import add_staff, remove_staff

    if args.staff_command == "remove":
        migrate(engine := make_engine(_catalog_settings(options).database_url))
        with session_factory(engine)() as session:
            remove_staff(session, args.email)
        print(f"staff account {args.email} is removed", file=sys.stderr)
        return EXIT_OK
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.email}: ")
        if password != getpass.getpass("Again: "):
            raise UsageError("the passwords differ")
    settings = _catalog_settings(options)
    engine = make_engine(settings.database_url)
    migrate(engine)
    with session_factory(engine)() as session:
        user = add_staff(session, args.email, password)
    print(f"staff account {user.email} is ready", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    options = options_from(args)
    commands = {"build": lambda o: run_build(o, getattr(args, "explain", False)), "check": lambda o: run_check(o, args), "list": run_list,
                "preflight": lambda o: run_preflight(o, args), "print-order": lambda o: run_print_order(o, args),
                "new": lambda o: run_new(o, args), "preview": lambda o: run_preview(o, args),
                "serve": lambda o: run_serve(o, args), "print-runs": run_print_runs, "staff": lambda o: run_staff(o, args)}
    command = commands[args.command or "build"]
    try:
        return command(options)
    except UsageError as exc:
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except PressroomError as exc:
        if options.debug:
            raise
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # an internal failure: short message unless --debug
        if options.debug:
            raise
        print(f"generate.py: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)",
              file=sys.stderr)
        return EXIT_CONTENT
