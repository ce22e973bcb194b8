"""Ways a notification leaves the building: email over SMTP, GOV.UK Notify, another
authority's Placement Notify API."""
