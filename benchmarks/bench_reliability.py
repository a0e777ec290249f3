"""Reliability under a classroom's load: 16 gradio_client clients at once on loopback, 10 mixed requests each
(decoding, next-token, attention, masks, adapter comparison, internals) with fixed seeds, against the app served
as `make run` serves it. Reports failures, results that differ from the same request run alone, p50/p95 latency
and peak RSS."""

from common import write
from load import run_load
from playground.ui import LAUNCH_KWARGS, build_app, queued


def main() -> None:
    demo = queued(build_app())
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **LAUNCH_KWARGS)
    try:
        report = run_load(url, clients=16, per_client=10)
    finally:
        demo.close()
    write("reliability", {
        "clients": report.clients, "requests_per_client": report.per_client,
        "requests_answered": len(report.latencies), "failures": len(report.failures),
        "results_differing_from_alone": len(report.mismatches),
        "wall_seconds": round(report.seconds, 1),
        "latency_p50_s": round(report.p50, 2), "latency_p95_s": round(report.p95, 2),
        "rss_start_MB": round(report.start_rss_mb), "rss_peak_MB": round(report.peak_rss_mb),
    })


if __name__ == "__main__":
    main()
