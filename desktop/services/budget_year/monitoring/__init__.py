"""Monitoring of the kwaliteitsbudget through the year: per provider and region the agreed
budget, the advances paid, the realisation to date and a projection, with the signals a
zorginkoper acts on (NZa S4 §2.4 "Monitoring € / fte", "Sturing op € / fte").

Projection (explained on screen): the latest cumulative realisation, extended linearly to the
year: realised through month n x 12 / n. The year report (or later) is the realisation itself.

Signals, each with a symbol and a word so they read without colour:
* UNDERSPEND  projected below 90% of the agreement: candidate for a downward herschikking
  (S1 §4.2.11 "naar beneden bijgesteld als de middelen niet zijn besteed conform de aanvraag");
* OVERSPEND   projected above the agreement: only costs "tot een maximum van de afspraken
  worden vergoed" (S1 §4.2.12);
* SPLIT_DRIFT the realised share of other investments differs more than 5 points from the
  agreed share;
* LATE / MISSING  a report came in after its date, or its date passed without a report.

The package: model (records, signal codes), signals (rules), queries (from the database),
export (spreadsheet).
"""

from desktop.services.budget_year.monitoring.export import export_xlsx, monitor_rows, region_rows
from desktop.services.budget_year.monitoring.model import (
    MONTHS_SHORT,
    SIGNALS,
    SPLIT_DRIFT_POINTS,
    UNDERSPEND_BELOW,
    ZERO,
    Monitor,
    ProviderMonitor,
    RealisedMoney,
    RegionTotal,
    ReportState,
    Signal,
)
from desktop.services.budget_year.monitoring.queries import (
    monitor,
    monitor_in,
    provider_glance,
    realised_by_provider,
)
from desktop.services.budget_year.monitoring.signals import project, report_states

__all__ = [
    "MONTHS_SHORT",
    "SIGNALS",
    "SPLIT_DRIFT_POINTS",
    "UNDERSPEND_BELOW",
    "ZERO",
    "Monitor",
    "ProviderMonitor",
    "RealisedMoney",
    "RegionTotal",
    "ReportState",
    "Signal",
    "export_xlsx",
    "monitor",
    "monitor_in",
    "monitor_rows",
    "project",
    "provider_glance",
    "realised_by_provider",
    "region_rows",
    "report_states",
]
