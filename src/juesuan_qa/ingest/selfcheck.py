"""Self-check at ingest: does what was read satisfy the identities the tables must obey?

A disclosure's tables add up (totals = Σ parts, 类 = Σ款, 合计 = 基本 + 项目, 基本 = 人员 + 公用,
收入总计 = 支出总计, the same figure in two tables agrees). When a reading breaks them it is
almost always the reader's error, so every table — and every fact in it — carries the verdict:
verified (checked, nothing failed beyond rounding), failed (some identity broke), or unchecked
(no identity applies). The rules are the audit's own (audit_rules), so the audit a reviewer
reads and the mark an answer carries never disagree.
"""

from __future__ import annotations

from dataclasses import replace

from juesuan_qa.audit_rules import MISMATCH, Finding, table_findings
from juesuan_qa.records import Disclosure, Fact

VERIFIED, FAILED, UNCHECKED = "verified", "failed", "unchecked"


def _key(fact: Fact) -> tuple[str, str]:
    return fact.table, fact.title


def table_verdicts(findings: list[Finding]) -> dict[tuple[str, str], tuple[int, int]]:
    """(checks, failed checks) per table; a check across two tables counts for both."""
    tally: dict[tuple[str, str], list[int]] = {}
    for finding in findings:
        for key in {_key(f) for f in finding.sources if isinstance(f, Fact)}:
            counts = tally.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += finding.status == MISMATCH
    return {key: (checks, failed) for key, (checks, failed) in tally.items()}


def status_of(checks: int, failed: int) -> str:
    return FAILED if failed else VERIFIED if checks else UNCHECKED


def self_check(disclosure: Disclosure) -> list[Finding]:
    """Mark every table and fact of a disclosure with its check status; return the findings."""
    findings = table_findings(disclosure.facts)
    verdicts = table_verdicts(findings)
    disclosure.facts[:] = [replace(f, status=status_of(*verdicts.get(_key(f), (0, 0)))) for f in disclosure.facts]
    disclosure.tables[:] = [replace(t, status=status_of(*verdicts.get((t.table, t.title), (0, 0))),
                                    checks=verdicts.get((t.table, t.title), (0, 0))[0],
                                    failed=verdicts.get((t.table, t.title), (0, 0))[1])
                            for t in disclosure.tables]
    return findings
