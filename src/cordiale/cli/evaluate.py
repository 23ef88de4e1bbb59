"""``cordiale eval``: score the coder against gold files in the ../shared/eval format."""

from __future__ import annotations

import sys

import click

from .options import format_option


@click.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@format_option
@click.option("--misses", is_flag=True, help="Also list each gold country that was not found.")
@click.option("--predictions", type=click.Path(dir_okay=False),
              help="Also write every predicted event as JSONL to this file.")
@click.option("--model", help="spaCy pipeline to use.")
@click.option("--scope", type=click.Choice(["main", "all"]),
              help="Events to keep: a sentence's main events (default) or all found.")
@click.option("--half", type=click.Choice(["A", "B", "both"]),
              help="Score one fixed half of each file (split by a hash of the sentence id), "
                   "or both halves on separate rows.")
def evaluate(gold: tuple[str, ...], fmt: str, misses: bool, predictions: str | None,
             model: str | None, scope: str | None, half: str | None) -> None:
    """Score the coder on gold files (the format of ../shared/eval).

    Prints, per file: events predicted, type recall, dyad+type recall, span dyad+type recall,
    event precision and relevance F1 (as ../shared/eval/score.py computes them; negated and
    hypothetical events are not counted), then actor-country recall and the share of resolved
    actors whose country the gold never names. With --half, rows are named FILE#A / FILE#B.

    \b
    Example:
      cordiale eval ../shared/eval/*.dev.jsonl --half both
    """
    import json

    from ..config import load_settings
    from ..evaluate import score_files
    from ..output import write_rows

    settings = load_settings(model=model, event_scope=scope)
    halves: tuple[str | None, ...] = (None,) if half is None else \
        ("A", "B") if half == "both" else (half,)
    scores = score_files(gold, model=settings.model, scope=settings.event_scope, halves=halves)
    rows = [s.row() for s in scores]
    write_rows(list(rows[0]), [list(r.values()) for r in rows], fmt, sys.stdout)
    if predictions:
        with open(predictions, "w", encoding="utf-8") as fh:
            for s in scores:
                for p in s.predictions:
                    fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    if misses:
        for s in scores:
            for doc_id, code, found in s.actors.misses:
                click.echo(f"miss {s.file} {doc_id}: {code} not in {found}")
