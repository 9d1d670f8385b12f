"""The kwaliteitsbudget year after the decision (Inkoopkader 2020 §4.2.9-4.2.13, DOMAIN.md §7
R11-R17): voorschot (advances), realisatie (realisation), monitoring, herschikking
(reallocation) and nacalculatie (final settlement).

All modules read the agreed budgets through `agreements.agreements(...)`, the one place that
knows how a decided budget request (and an approved herschikking) becomes "the agreement".
"""
