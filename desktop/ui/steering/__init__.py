"""Steering on outcomes (issue 17): money x urgency, effect, agreements, interventions."""
