"""The per-item time budget: a slow item is stopped and reported, the others go on, in order."""

from __future__ import annotations

from strikewatch.budget import BudgetedPool, Failed, Overran


def test_an_item_past_its_budget_is_stopped_and_the_rest_go_on():
    with BudgetedPool("time:sleep", workers=1, seconds=1.0) as pool:
        results = list(pool.map([0, 60, 0.01]))
    assert [item for item, _ in results] == [0, 60, 0.01]
    assert results[0][1] is None and results[2][1] is None
    assert results[1][1] == Overran(1.0)


def test_two_workers_keep_item_order_and_report_errors():
    with BudgetedPool("math:sqrt", workers=2, seconds=5.0) as pool:
        results = list(pool.map([4.0, -1.0, 9.0, 16.0]))
    assert [r for _, r in results][0] == 2.0
    assert isinstance(results[1][1], Failed) and "ValueError" in results[1][1].error
    assert [r for _, r in results][2:] == [3.0, 4.0]


def test_a_worker_that_dies_is_replaced():
    with BudgetedPool("os:_exit", workers=1, seconds=5.0) as pool:
        results = list(pool.map([3, 4]))
    assert all(isinstance(r, Failed) and "died" in r.error for _, r in results)
