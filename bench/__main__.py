"""`python -m bench [--quick]`: every benchmark, one after another, then a table of the figures.
Figures are medians; each ratio is to a baseline measured in the same run on this machine."""

from __future__ import annotations

import argparse

from bench import append, consumer, relay, replay, rpc
from bench.common import RESULTS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: a smoke run, not a measurement"
    )
    args = parser.parse_args()
    flags = ["--quick"] if args.quick else []
    for bench in (append, relay, consumer, replay, rpc):
        bench.main(flags)
    print("\n| benchmark | figure | baseline | ratio | target |\n|---|---|---|---|---|")
    for r in RESULTS:
        baseline = f"{r['baseline_name']} {r['baseline']:,.0f}" if "baseline" in r else ""
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
        target = (
            f">= {r['target']:,}" + (" ok" if r.get("met") else " MISSED") if "target" in r else ""
        )
        print(f"| {r['name']} | {r['value']:,.0f} {r['unit']} | {baseline} | {ratio} | {target} |")


if __name__ == "__main__":
    main()
