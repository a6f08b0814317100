#!/usr/bin/env python3
"""Merges the rounds of one JMH run into the file report.py reads.

    python3 benchmarks/merge_rounds.py OUT.json ROUND1.json [ROUND2.json ...]

run.sh runs each configuration once per round, one fork each, and the configurations of a thread
count take turns (off, on, off, on) instead of running all forks of one configuration back to back:
on a host whose speed wanders over minutes, back-to-back forks put the whole drift between the
reference and the configuration compared with it. This script joins the forks again: results with
the same benchmark, mode and parameters are merged, their forks concatenated, and the score, its
99.9% confidence interval and (sample mode) the percentiles recomputed over all of them the way JMH
computes them for one multi-fork run.
"""
import json
import math
import sys


def t_quantile(p, df):
    """Student's t quantile by bisection on its CDF (Simpson integration of the density)."""
    def pdf(x):
        return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi) \
            * (1 + x * x / df) ** (-(df + 1) / 2)

    def cdf(x):
        steps = 2000
        h = x / steps
        s = pdf(0) + pdf(x) + sum((4 if i % 2 else 2) * pdf(i * h) for i in range(1, steps))
        return 0.5 + s * h / 3

    lo, hi = 0.0, 1000.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def confidence(values, weights=None):
    """Mean and half-width of the 99.9% interval, as JMH reports them."""
    if weights is None:
        weights = [1] * len(values)
    n = sum(weights)
    mean = sum(v * w for v, w in zip(values, weights)) / n
    if n < 2:
        return mean, float("nan")
    var = sum(w * (v - mean) ** 2 for v, w in zip(values, weights)) / (n - 1)
    return mean, t_quantile(0.9995, n - 1) * math.sqrt(var / n)


def percentile(pairs, n, p):
    """Apache Commons Math's default (legacy) estimate, which JMH uses, over sorted (value, count)."""
    if p == 0:
        return pairs[0][0]
    if p == 100:
        return pairs[-1][0]
    pos = p * (n + 1) / 100
    if pos < 1:
        return pairs[0][0]
    if pos >= n:
        return pairs[-1][0]
    lower_rank = math.floor(pos)  # 1-based rank
    lower = upper = None
    seen = 0
    for value, count in pairs:
        if lower is None and seen + count >= lower_rank:
            lower = value
        if seen + count >= lower_rank + 1:
            upper = value
            break
        seen += count
    return lower + (pos - lower_rank) * (upper - lower)


def merge_metric(metrics):
    first = dict(metrics[0])
    if "rawDataHistogram" in first:
        forks = [fork for m in metrics for fork in m["rawDataHistogram"]]
        first["rawDataHistogram"] = forks
        counts = {}
        for fork in forks:
            for iteration in fork:
                for value, count in iteration:
                    counts[value] = counts.get(value, 0) + count
        pairs = sorted(counts.items())
        n = sum(c for _, c in pairs)
        mean, error = confidence([v for v, _ in pairs], [c for _, c in pairs])
        first["scorePercentiles"] = {
            k: percentile(pairs, n, float(k)) for k in metrics[0]["scorePercentiles"]}
    else:
        forks = [fork for m in metrics for fork in m["rawData"]]
        first["rawData"] = forks
        values = [v for fork in forks for v in fork]
        mean, error = confidence(values)
        ordered = sorted(values)
        first["scorePercentiles"] = {
            k: percentile([(v, 1) for v in ordered], len(ordered), float(k))
            for k in metrics[0]["scorePercentiles"]}
    first["score"] = mean
    first["scoreError"] = error
    first["scoreConfidence"] = [mean - error, mean + error]
    return first


def key(result):
    return result["benchmark"], result["mode"], json.dumps(result.get("params", {}), sort_keys=True)


def main(out, rounds):
    groups = {}
    order = []
    for path in rounds:
        with open(path) as f:
            for result in json.load(f):
                k = key(result)
                if k not in groups:
                    groups[k] = []
                    order.append(k)
                groups[k].append(result)
    merged = []
    for k in order:
        results = groups[k]
        first = dict(results[0])
        first["forks"] = sum(r["forks"] for r in results)
        first["primaryMetric"] = merge_metric([r["primaryMetric"] for r in results])
        first["secondaryMetrics"] = {}  # per-round only; report.py reads none of them
        merged.append(first)
    with open(out, "w") as f:
        json.dump(merged, f, indent=2)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: merge_rounds.py OUT.json ROUND1.json [ROUND2.json ...]")
    main(sys.argv[1], sys.argv[2:])
