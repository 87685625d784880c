"""Human-readable renderings of a result, an evaluation report and the ops status."""

from __future__ import annotations


def summary(result: dict) -> str:
    lines = [f"{result['source']}: {result['page_count']} pages, {result['status']}"]
    for doc in result["documents"]:
        pages = doc["pages"]
        span = f"p{pages[0]}" if len(pages) == 1 else f"p{pages[0]}-{pages[-1]}"
        lines.append(f"  {span:<8} {doc['type']:<16} ({doc.get('confidence', 0):.2f})")
        for key, found in doc["fields"].items():
            value = ", ".join(found["value"]) if isinstance(found["value"], list) else found["value"]
            mark = "  !" if found.get("error") else ""
            lines.append(f"             {key:<22} {value}{mark}")
    for flag in result["flags"]:
        lines.append(f"  {flag['severity'].upper():<8} {flag['code']}: {flag['message']}")
    return "\n".join(lines)


def eval_summary(report: dict) -> str:
    f, g = report["fields"], report["flags"]
    lines = [
        f"pages                  {report['pages']}",
        f"page-type accuracy     {report['page_type_accuracy']:.3f}",
        f"document-split acc.    {report['document_split_accuracy']:.3f}",
        f"fields P/R/F1          {f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f}",
        f"flags P/R/F1           {g['precision']:.3f} / {g['recall']:.3f} / {g['f1']:.3f}",
        f"failures               {len(report['failures'])}",
        f"pages/s                {report['pages_per_second']}",
        "per field (P / R / F1):",
    ]
    for key, s in report["per_field"].items():
        lines.append(
            f"  {key:<24} {s['precision']:.2f} / {s['recall']:.2f} / {s['f1']:.2f}"
            f"  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
        )
    lines.append("page types (truth: what was read):")
    for truth, got in report["page_types"].items():
        lines.append(f"  {truth:<24} " + ", ".join(f"{kind} {n}" for kind, n in got.items()))
    lines += [f"  failure: {f}" for f in report["failures"]]
    return "\n".join(lines)


def status_text(state) -> str:
    """`faxintake status`: the ops page in the terminal."""
    last_hour = sum(state.pages_per_minute_last_hour)
    lines = [
        f"pages last hour: {last_hour} ({last_hour / 60:.1f}/min); "
        f"last day: {sum(state.pages_per_minute_last_day) * 60:.0f}",
        "faxes: " + (", ".join(f"{k} {v}" for k, v in sorted(state.faxes.items())) or "none"),
        f"review: {state.review_waiting} waiting, oldest {state.review_oldest_seconds / 3600:.1f} h",
        f"end to end (24 h): median {_seconds(state.end_to_end_p50)}, p95 {_seconds(state.end_to_end_p95)}",
        "backlog: "
        + (
            ", ".join(f"{k} {v['queued']} queued/{v['started']} running" for k, v in state.backlog.items())
            or "empty"
        ),
        f"workers: {len(state.workers)}",
    ]
    lines += [f"  {w.name} {w.state} {w.job or ''}".rstrip() for w in state.workers]
    lines.append(f"failed: {len(state.failures)}")
    lines += [f"  fax {f['id']}: {f['reason']}  (faxintake requeue {f['id']})" for f in state.failures[:20]]
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"
