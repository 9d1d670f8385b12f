"""Tabs "Voorschotten" (schedule per provider and month, export for the payment department,
an adjustment with reason) and "Nacalculatie" (per provider: reimbursable, reclaim, §4.2.13;
statement PDF and the NZa summary) of the Begrotingsjaar section.

The tabs live in advances_tab.py and settlement_tab.py; their scaffolding in tab_base.py. This
module keeps the old import path."""

from desktop.ui.budget_year.advances_tab import AdvancesTab
from desktop.ui.budget_year.settlement_tab import SettlementTab
from desktop.ui.budget_year.tab_base import YearTab, align_right

__all__ = ["AdvancesTab", "SettlementTab", "YearTab", "align_right"]
