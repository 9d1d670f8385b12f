"""Section "Brieven" (issue 6): beoordelingsbrieven, preview, print, batch."""
