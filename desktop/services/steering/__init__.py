"""Steering on outcomes (issue 17): the diagnosis beside the money (allocation), maatwerkafspraken
(agreements), effect (merkbaar/meetbaar/voelbaar), interventions and the kwaliteitsmonitor PDF.

Seed 004 (NZa), Samenvatting: zorgkantoren steer "reactief" on conditions and not "actief op
uitkomsten"; budget review and quality review are "enigszins losgekoppelde processen". These
modules put the two side by side.
"""
