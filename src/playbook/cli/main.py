"""The `playbook` command: parses options, calls the library, maps its errors to exit codes."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from playbook import DISTRIBUTION, __version__
from playbook.core.diagnostics import BuildError, ContentError, PlaybookError, UsageError, printable
from playbook.core.formats import FORMATS

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on misuse, as we want, with our prefix
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"playbook: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="playbook", description="Start, validate, scaffold and export a playbook's YAML records.")
    p.add_argument("--version", action="version", version=f"playbook {__version__}")
    p.add_argument("--root", type=Path, default=Path("."),
                   help="the playbook's folder, holding data/ (default: the current folder)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    i = sub.add_parser("init", help="start a new playbook in DIR: settings, example records, pages and CI",
                       description="Write a new content-only playbook into DIR (made if missing; --root does not "
                                   "apply): mkdocs.yml loading the playbook plugin, one commented example record of "
                                   "each kind in data/, pages in content/, the schemas, GitHub workflows for CI and "
                                   "publishing, a contributor guide and forms, and requirements.txt pinning "
                                   f"{DISTRIBUTION}=={__version__}. Refuses a folder that is not empty (exit 1).")
    i.add_argument("dir", type=Path, metavar="DIR", help="the new playbook's folder: new, or empty")

    v = sub.add_parser("validate", help="check every record: schema, references and content lint",
                       description="Check the playbook settings in mkdocs.yml and every record under data/: schema, references, "
                                   "then content lint. "
                                   "Exit 0 when clean, 1 on content errors (or warnings with --strict), 2 on misuse. "
                                   "A record whose review is due (see `playbook stale`) is a notice: it fails nothing.")
    v.add_argument("--format", choices=sorted(FORMATS), default="text",
                   help="text (file:line:col lines), github (workflow annotations) or json")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")

    n = sub.add_parser("new", help="scaffold data/<kind>/<id>.yaml from a commented template",
                       description="Write a commented template for a new record. Refuses to overwrite (exit 1).")
    n.add_argument("kind", help="principle, step, pitfall, checklist or scenario")
    n.add_argument("id", help="the new record's id: lowercase words joined by hyphens")

    e = sub.add_parser("export", help="export checklists as PDF, Markdown and plain text",
                       description="Export checklists to one-page PDFs (A4 and US Letter), Markdown task lists and "
                                   "plain text. Never overwrites a file it did not create.")
    e.add_argument("--format", dest="formats", action="append", choices=["pdf", "md", "txt"],
                   help="what to write; repeat for several (default: all three)")
    e.add_argument("--paper", choices=["a4", "letter", "both"], default="both", help="PDF paper size (default: both)")
    e.add_argument("--id", dest="ids", action="append", metavar="ID", help="only this checklist; repeat for several")
    e.add_argument("--out", type=Path, default=Path("exports"), help="output folder (default: exports)")
    e.add_argument("--quiet", action="store_true", help="no progress bar")

    st = sub.add_parser("stale", help="list the records due for review, oldest first, with their owners",
                        description="List the records whose `reviewed:` date is older than "
                                    "extra.playbook.freshness.max_age_days (default 365), or that name none, oldest "
                                    "first, with their owners. A due review is never a failure: exit 0.")
    st.add_argument("--format", choices=["text", "json", "github"], default="text",
                    help="text (file:line:col lines), json, or github (notice annotations)")

    r = sub.add_parser("rules", help="list the lint rules, their limits and how this playbook tunes them",
                       description="List every lint rule with its id, what it checks and its limits, as this "
                                   "playbook's mkdocs.yml (extra.playbook.lint) sets them.")
    r.add_argument("--format", choices=["text", "json"], default="text", help="text (a table) or json")

    lo = sub.add_parser("leftovers", help="list what in the repository still speaks of the example playbook",
                        description="After adopting the generator: list each line of the scaffolding (README, guides, "
                                    "issue forms, pull-request template, pyproject.toml, schemas) that still names the "
                                    "example playbook, and each form that asks for a kind of record this playbook has "
                                    "none of. Exit 0 when there is none, 1 otherwise.")
    lo.add_argument("--no-guides", dest="guides", action="store_false",
                    help="leave out README.md and ADOPTING.md (they describe the example until you replace them)")

    s = sub.add_parser("schemas", help="write or check schemas/*.schema.json from the schema source",
                       description="The published schemas are generated; --check fails when they are stale.")
    group = s.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="rewrite the schema files")
    group.add_argument("--check", action="store_true", help="exit 1 if a schema file differs from the source")
    return p


def _validate(args: argparse.Namespace) -> int:
    from playbook.records.freshness import review_diagnostics
    from playbook.records.validate import validate

    started = time.perf_counter()
    report, records = validate(args.root)
    if report.files == 0 and not report.diagnostics:
        raise UsageError(f"no records found under {args.root / 'data'}; run from the playbook's folder or pass --root")
    # A due review is a notice (time passing fails nothing); only a review dated in the future is a warning.
    report.extend(review_diagnostics(records, _max_age_days(args.root)))
    output = FORMATS[args.format](report, args.strict)
    print(output)
    if args.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _step_summary(report, Path(os.environ["GITHUB_STEP_SUMMARY"]))
    if args.format == "text":
        print(f"checked in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return EXIT_CONTENT if report.failed(args.strict) else EXIT_OK


def _leftovers(args: argparse.Namespace) -> int:
    from playbook.cli.leftovers import leftovers

    found = leftovers(args.root, guides=args.guides)
    for d in found:
        print(d.text())
    print(f"{len(found)} line(s) still speak of the example playbook or of kinds this playbook lacks"
          if found else "nothing left of the example playbook")
    return EXIT_CONTENT if found else EXIT_OK


def _max_age_days(root: Path) -> int:
    """The playbook's review limit; bad settings are reported by validation, so the default stands in here."""
    from playbook.core.settings import DEFAULT_MAX_AGE_DAYS, load_settings

    try:
        return load_settings(root).max_age_days
    except ContentError:
        return DEFAULT_MAX_AGE_DAYS


def _stale(args: argparse.Namespace) -> int:
    from playbook.records.freshness import STALE_FORMATS, due_records
    from playbook.records.validate import validate

    report, records = validate(args.root)
    if report.files == 0 and not report.diagnostics:
        raise UsageError(f"no records found under {args.root / 'data'}; run from the playbook's folder or pass --root")
    limit = _max_age_days(args.root)
    print(STALE_FORMATS[args.format](due_records(records, limit), len(records), limit))
    return EXIT_OK


def _step_summary(report, path: Path) -> None:
    rows = ["### playbook validate", "", f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)", ""]
    if report.diagnostics:
        rows += ["| file | line | severity | problem | rule |", "|---|---|---|---|---|"]
        for d in report.sorted():
            # Contributor-chosen file names and messages: one escaped line each, no Markdown table breakouts.
            message = printable(d.message).replace("|", "\\|").replace("`", "'")
            name = printable(d.file).replace("|", "\\|").replace("`", "'")
            rows.append(f"| `{name}` | {d.line}:{d.column} | {d.severity} | {message} | `{d.rule}` |")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")


def _init(args: argparse.Namespace) -> int:
    import shlex

    from playbook.cli.init import init_playbook

    written = init_playbook(args.dir)
    print(f"created a playbook in {args.dir.as_posix()}/:")
    for rel in written:
        print(f"  {rel}")
    print("next:")
    if args.dir.resolve() != Path.cwd().resolve():
        print(f"  cd {shlex.quote(args.dir.as_posix())}")
    print("  playbook validate --strict   # check the example records")
    print("  mkdocs serve                 # preview the site at http://127.0.0.1:8000/")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from playbook.cli.scaffold import new_record

    from playbook.records.freshness import today
    from playbook.core.settings import load_settings

    path = new_record(args.root, args.kind, args.id, owner=load_settings(args.root).owner,
                      reviewed=today().isoformat())
    rel = path.relative_to(args.root) if path.is_relative_to(args.root) else path
    print(f"created {rel.as_posix()}: fill the empty fields, then run `{_invoked_as()} validate`")
    return EXIT_OK


def _invoked_as() -> str:
    """How the user called us (`playbook` on PATH, or `.venv/bin/playbook`), so hints can be pasted back."""
    argv0 = sys.argv[0]
    if Path(argv0).name != "playbook" or "/" not in argv0:
        return "playbook"
    relative = os.path.relpath(os.path.abspath(argv0))
    return relative if not relative.startswith("..") else os.path.abspath(argv0)


def _export(args: argparse.Namespace) -> int:
    from playbook.sheets.export import export_command

    return export_command(args.root, args.out, args.formats or ["pdf", "md", "txt"], args.paper, args.ids, args.quiet)


def _rules(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from playbook.records.lint import RULES, rule_settings
    from playbook.core.settings import load_settings

    settings = load_settings(args.root)
    tuned = rule_settings(settings.lint)
    rows = [{"rule": r.id, "kinds": list(r.kinds), "checks": r.summary, "profile": r.profile,
             "state": tuned[r.id].severity or "on", "limits": tuned[r.id].params} for r in RULES]
    content = dataclasses.asdict(settings.content)
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        limits = ", ".join(f"{k}={v}" for k, v in row["limits"].items())
        profile = f" (profile {row['profile']})" if row["profile"] else ""
        print(f"{row['rule']:<28} {row['state']:<8} {row['checks']}{profile}" + (f" [{limits}]" if limits else ""))
    print("content limits: " + ", ".join(f"{k}={v}" for k, v in content.items()))
    print("tune them under extra.playbook.lint in mkdocs.yml, e.g. `profile: checklist-science`, "
          "`checklist.item-length: {warn: 12}` or `text.shouting: {allow: [GDPR]}`, and the content limits under "
          "extra.playbook.limits, e.g. `item_length: 300`", file=sys.stderr)
    return EXIT_OK


def _schemas(args: argparse.Namespace) -> int:
    from playbook.core.settings_schema import settings_schema_text
    from playbook.records.schema_source import KINDS, schema_text

    stale = []
    published = {f"{kind}.schema.json": schema_text(kind) for kind in KINDS}
    published["settings.schema.json"] = settings_schema_text()  # mkdocs.yml's extra.playbook, for editors
    for name, text in published.items():
        path = args.root / "schemas" / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if args.write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'wrote' if args.write else 'stale'}: {path.as_posix()}")
    if args.check and stale:
        print("run `playbook schemas --write` and commit the result", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


COMMANDS = {"init": _init, "validate": _validate, "new": _new, "export": _export, "rules": _rules, "schemas": _schemas,
            "stale": _stale, "leftovers": _leftovers}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `playbook` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"playbook: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        print(FORMATS["text"](exc.report, exc.strict), file=sys.stderr)
        return EXIT_CONTENT
    except (BuildError, PlaybookError) as exc:
        print(f"playbook: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("playbook: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`playbook stale | head`): stop quietly, as other Unix tools do. Point stdout at
        # /dev/null so the interpreter's own flush at exit does not raise a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
