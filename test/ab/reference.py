#!/usr/bin/env python3
"""scipy references for test/ab: regenerates the scenarios of test/ab/generate.ts (same PRNG and
draws) and prints every number the A/B report computes, to 6 significant digits.
Run: python3 test/ab/reference.py"""
import math

from scipy import stats

M = 0xFFFFFFFF


def mulberry32(seed):
    a = seed & M

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & M
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    return nxt


def generate(seed, users, assign, rates=None, means=None, sd=None):
    nxt = mulberry32(seed)
    out = []
    for _ in range(users):
        u = nxt() * 100
        v = 0
        cumulative = assign[0]
        while u >= cumulative and v < len(assign) - 1:
            v += 1
            cumulative += assign[v]
        nxt()  # requests per user: not part of the statistics
        if rates is not None:
            outcome = 1 if nxt() < rates[v] else 0
        else:
            z = 0.0
            for _ in range(12):
                z += nxt()
            outcome = means[v] + sd * (z - 6)
        out.append((v, outcome))
    return out


def g(x):
    return f"{x:.6g}"


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: (ps[i], i))
    adj = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        adj[i] = running
    return adj


def required_rate(p1, p2, alpha, power, r):
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    pbar = (p1 + r * p2) / (1 + r)
    a = za * math.sqrt(pbar * (1 - pbar) * (1 + 1 / r))
    b = zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2) / r)
    n = (a + b) ** 2 / (p2 - p1) ** 2
    return math.ceil(n), math.ceil(n * r)


def required_mean(sd, delta, alpha, power, r):
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    n = (za + zb) ** 2 * sd**2 * (1 + 1 / r) / delta**2
    return math.ceil(n), math.ceil(n * r)


def rate_scenario(name, data, k, weights, alpha, power, baseline, mde):
    n = [sum(1 for v, _ in data if v == i) for i in range(k)]
    s = [sum(o for v, o in data if v == i) for i in range(k)]
    print(f"[{name}]")
    print("n", n, "successes", s)
    srm = stats.chisquare(n, [sum(n) * w / sum(weights) for w in weights])
    print("srm chi2", g(srm.statistic), "p", g(srm.pvalue))
    for i in range(k):
        ci = stats.binomtest(s[i], n[i]).proportion_ci(confidence_level=1 - alpha, method="wilson")
        print(f"variant {i} rate", g(s[i] / n[i]), "ci", g(ci.low), g(ci.high))
    m = k - 1
    ps = []
    for i in range(1, k):
        table = [[s[0], n[0] - s[0]], [s[i], n[i] - s[i]]]
        chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
        p1, p2 = s[0] / n[0], s[i] / n[i]
        z = math.copysign(math.sqrt(chi2), p2 - p1)
        se = math.sqrt(p1 * (1 - p1) / n[0] + p2 * (1 - p2) / n[i])
        q = stats.norm.ppf(1 - alpha / m / 2)
        print(f"compare {i} diff", g(p2 - p1), "z", g(z), "p", g(p), "ci", g(p2 - p1 - q * se), g(p2 - p1 + q * se))
        ps.append(p)
    print("holm", [g(p) for p in holm(ps)])
    for i in range(1, k):
        print(f"required {i}", required_rate(baseline, baseline * (1 + mde), alpha / m, power, weights[i] / weights[0]))


def mean_scenario(name, data, k, weights, alpha, power, baseline, sd, mde):
    groups = [[o for v, o in data if v == i] for i in range(k)]
    n = [len(x) for x in groups]
    print(f"[{name}]")
    print("n", n)
    srm = stats.chisquare(n, [sum(n) * w / sum(weights) for w in weights])
    print("srm chi2", g(srm.statistic), "p", g(srm.pvalue))
    for i in range(k):
        mean = sum(groups[i]) / n[i]
        ci = stats.t.interval(1 - alpha, n[i] - 1, loc=mean, scale=stats.sem(groups[i]))
        print(f"variant {i} mean", g(mean), "ci", g(ci[0]), g(ci[1]))
    m = k - 1
    ps = []
    for i in range(1, k):
        res = stats.ttest_ind(groups[i], groups[0], equal_var=False)
        ci = res.confidence_interval(1 - alpha / m)
        diff = sum(groups[i]) / n[i] - sum(groups[0]) / n[0]
        print(f"compare {i} diff", g(diff), "t", g(res.statistic), "df", g(res.df), "p", g(res.pvalue),
              "ci", g(ci.low), g(ci.high))
        ps.append(res.pvalue)
    print("holm", [g(p) for p in holm(ps)])
    for i in range(1, k):
        print(f"required {i}", required_mean(sd, baseline * mde, alpha / m, power, weights[i] / weights[0]))


win = dict(seed=1, assign=[50, 50], rates=[0.20, 0.24])
rate_scenario("win", generate(users=16000, **win), 2, [50, 50], 0.05, 0.8, 0.2, 0.1)
rate_scenario("peek", generate(users=3000, **win), 2, [50, 50], 0.05, 0.8, 0.2, 0.1)
rate_scenario("srm", generate(seed=3, users=20000, assign=[52, 48], rates=[0.2, 0.2]), 2, [50, 50], 0.05, 0.8, 0.2, 0.1)
null = generate(seed=2, users=10000, assign=[34, 33, 33], means=[10, 10, 10], sd=6)
mean_scenario("no effect", null, 3, [34, 33, 33], 0.05, 0.8, 10, 6, 0.05)
