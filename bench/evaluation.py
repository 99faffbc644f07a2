"""How well the engine orders candidates: nDCG@10 on the labelled set of bench/eval_set.py.

.venv/bin/python bench/evaluation.py

For each vacancy the engine scores every candidate (``scoring.score``); the eligible
are ranked by (−score, id), the way ``rank`` and the index order them, and the filtered
out follow in the same order (every one of them is graded 0, so leaving them out gives
the same figures). nDCG@10 takes the recruiter's grades as gains 2^grade − 1, discounts
rank r by log2(r + 1) and divides by the same sum for the grades in their ideal order.

The baseline is a keyword match: candidates ranked by how many of the vacancy's skills
(required or optional) they list, then by id; no levels, no hard filters, nothing else.
The hard cases' verdicts are printed against the ones the rules call for.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_set import HARD_CASES, QUERIES, REF, Candidate, HardCase, Query  # noqa: E402
from bench.eval_set import candidate as find_candidate  # noqa: E402
from bench.eval_set import query as find_query  # noqa: E402
from matching.engine.records import MatchResult  # noqa: E402 — after the path is set
from matching.engine.scoring import score  # noqa: E402

K = 10


def dcg(grades: Sequence[int], k: int = K) -> float:
    return sum((2.0**grade - 1.0) / math.log2(rank + 1) for rank, grade in enumerate(grades[:k], 1))


def ndcg(ranked_grades: Sequence[int], k: int = K) -> float:
    """nDCG@k of grades in ranked order; 0.0 when no candidate is relevant at all."""
    ideal = dcg(sorted(ranked_grades, reverse=True), k)
    return dcg(ranked_grades, k) / ideal if ideal > 0 else 0.0


def engine_ranking(query: Query) -> list[tuple[Candidate, MatchResult]]:
    scored = [(c, score(c.seeker, query.vacancy, REF)) for c in query.candidates]
    scored.sort(key=lambda pair: (not pair[1].eligible, -pair[1].score, pair[0].seeker.id))
    return scored


def baseline_ranking(query: Query) -> list[Candidate]:
    asked = set(query.vacancy.required_skills) | set(query.vacancy.optional_skills)

    def overlap(c: Candidate) -> int:
        return len(asked.intersection(c.seeker.skills))

    return sorted(query.candidates, key=lambda c: (-overlap(c), c.seeker.id))


def hard_case_problems(case: HardCase) -> list[str]:
    """What in the engine's verdict differs from the expected one (empty: as expected)."""
    found = find_query(case.query)
    result = score(find_candidate(case.query, case.seeker_id).seeker, found.vacancy, REF)
    problems: list[str] = []
    if result.eligible != case.eligible:
        problems.append(f"eligible {result.eligible}, expected {case.eligible}")
    keys = tuple(reason.key for reason in result.reasons)
    if keys != case.reasons:
        problems.append(f"reasons {keys}, expected {case.reasons}")
    problems += [f"flag {flag} missing" for flag in case.flags if flag not in result.flags]
    problems += [f"flag {flag} present" for flag in case.absent_flags if flag in result.flags]
    values = {c.key: c.value for c in result.components}
    problems += [
        f"{key} {values[key]:.2f} > {bound}"
        for key, bound in case.at_most.items()
        if values[key] > bound
    ]
    problems += [
        f"{key} {values[key]:.2f} < {bound}"
        for key, bound in case.at_least.items()
        if values[key] < bound
    ]
    return problems


def verdict(result: MatchResult) -> str:
    reasons = ", ".join(r.key for r in result.reasons) or "—"
    flags = ", ".join(result.flags) or "—"
    return f"eligible={result.eligible}; reasons: {reasons}; flags: {flags}"


def main() -> None:
    n = sum(len(q.candidates) for q in QUERIES)
    print(f"{len(QUERIES)} vacancies, {n} graded candidates; nDCG@{K}, gain 2^grade − 1")
    print(
        f"\n{'vacancy':<26} {'candidates':>10} {'engine':>8} {'baseline':>9}   grades in engine order"
    )
    engine_scores: list[float] = []
    baseline_scores: list[float] = []
    for q in QUERIES:
        ranked = engine_ranking(q)
        grades = [c.grade for c, _ in ranked]
        engine_scores.append(ndcg(grades))
        baseline_scores.append(ndcg([c.grade for c in baseline_ranking(q)]))
        shown = " ".join(str(g) for g in grades[:K])
        print(
            f"{q.key:<26} {len(q.candidates):>10} {engine_scores[-1]:>8.3f}"
            f" {baseline_scores[-1]:>9.3f}   {shown}"
        )
    print(
        f"{'mean':<26} {'':>10} {statistics.mean(engine_scores):>8.3f}"
        f" {statistics.mean(baseline_scores):>9.3f}"
    )

    print(f"\nhard cases ({len(HARD_CASES)}):")
    wrong = 0
    for case in HARD_CASES:
        found = find_query(case.query)
        seeker = find_candidate(case.query, case.seeker_id).seeker
        result = score(seeker, found.vacancy, REF)
        problems = hard_case_problems(case)
        wrong += bool(problems)
        print(f"  {'ok  ' if not problems else 'DIFF'} {case.name}")
        print(f"       {case.query} × seeker {case.seeker_id}: {verdict(result)}")
        for problem in problems:
            print(f"       ! {problem}")
    print(f"{len(HARD_CASES) - wrong} of {len(HARD_CASES)} hard cases as the rules call for")


if __name__ == "__main__":
    main()
