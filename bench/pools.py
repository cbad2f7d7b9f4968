"""Label pools for the synthetic corpus: spellings as written, with their canonical values.

Canonical values are written here by hand (not looked up in ``schemas.vocab``) so that the
corpus is an independent check of the project's vocabularies.
"""

from __future__ import annotations

# (label variants as written, canonical platform names)
PLATFORMS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("Snapchat", "SNAPCHAT", "snapchat", "Snap Chat"), ("Snapchat",)),
    (("Facebook", "FACEBOOK", "facebook", "Face book"), ("Facebook",)),
    (("Facebook Messenger", "Messenger", "FB Messenger"), ("Facebook Messenger",)),
    (("Instagram", "INSTAGRAM", "instagram", "Insta"), ("Instagram",)),
    (("WhatsApp", "Whatsapp", "WHATSAPP", "Whats App", "internet whatsapp"), ("WhatsApp",)),
    (("Kik", "KIK", "Kik Messenger"), ("Kik",)),
    (("TikTok", "Tik Tok", "TIKTOK"), ("TikTok",)),
    (("Twitter", "TWITTER", "X (Twitter)", "X/Twitter"), ("X (Twitter)",)),
    (("Discord", "DISCORD"), ("Discord",)),
    (("Omegle", "omegle"), ("Omegle",)),
    (("Roblox", "ROBLOX"), ("Roblox",)),
    (("XBOX", "Xbox Live", "X Box"), ("Xbox Live",)),
    (("PlayStation", "PSN", "PS4"), ("PlayStation Network",)),
    (("Skout",), ("Skout",)),
    (("Tagged",), ("Tagged",)),
    (("Plenty of Fish", "POF"), ("Plenty of Fish",)),
    (("Grindr",), ("Grindr",)),
    (("Telegram",), ("Telegram",)),
    (("YouTube", "You Tube"), ("YouTube",)),
    (("Skype", "SKYPE"), ("Skype",)),
    (("Yubo",), ("Yubo",)),
    (("Wink",), ("Wink",)),
    (("Text Messages", "Text message", "SMS", "text messaging"), ("Text message",)),
    (("Phone call", "Telephone", "Phone calls"), ("Phone call",)),
    (("Email", "E-mail"), ("Email",)),
    (("Online - not specified", "online", "Internet"), ("Online (unspecified)",)),
    (("social media", "Social Media"), ("Social media (unspecified)",)),
    (("Various", "various"), ("Various",)),
    (("Unknown app", "Not known", "unknown", "Not recorded"), ("Unknown",)),
    (("Verbal", "Face to face"), ("Verbal",)),
    # combined rows
    (("facebook and whatsapp", "Facebook & WhatsApp"), ("Facebook", "WhatsApp")),
    (("facebook and twitter",), ("Facebook", "X (Twitter)")),
    (("Snapchat and Instagram", "Snapchat & Instagram"), ("Instagram", "Snapchat")),
    (("facebook facetime",), ("FaceTime", "Facebook")),
    (("facebook and various",), ("Facebook", "Various")),
    (("Kik and Skype",), ("Kik", "Skype")),
    # apps the vocabulary does not know: the label is its own name
    (("Fabguys",), ("Fabguys",)),
    (("Fast Flirting",), ("Fast Flirting",)),
    (("Chatzy",), ("Chatzy",)),
    (("Jiggle",), ("Jiggle",)),
    (("Hot or Not",), ("Hot or Not",)),
    (("Zepeto",), ("Zepeto",)),
]

UNKNOWN_APPS = frozenset({"Fabguys", "Fast Flirting", "Chatzy", "Jiggle", "Hot or Not", "Zepeto"})

# (label variants, outcome type)
OUTCOMES: list[tuple[tuple[str, ...], str]] = [
    (("Charge/Summons", "Charged", "Outcome 1 - Charge/Summons", "OC1 Charge"), "charged"),
    (("Caution", "Adult Caution", "Youth Caution"), "caution"),
    (("Community Resolution", "Outcome 8 - Community Resolution"), "community_resolution"),
    (("Evidential Difficulties", "Outcome 15 - Evidential difficulties", "OC15"),
     "evidential_difficulties"),
    (("Victim declines - suspect identified", "Outcome 16", "OC16"),
     "victim_declines_suspect_identified"),
    (("Victim declines - suspect not identified", "Outcome 14"),
     "victim_declines_suspect_not_identified"),
    (("No suspect identified", "Outcome 18 - Investigation complete - no suspect identified",
      "Undetected"), "no_suspect_identified"),
    (("Under investigation", "Ongoing", "Outcome pending"), "under_investigation"),
    (("Other agency", "Outcome 20 - Other body or agency"), "other_agency"),
    (("Further investigation not in the public interest", "Outcome 21"),
     "further_investigation_not_in_public_interest"),
    (("Suspect under age", "Outcome 11"), "suspect_under_age"),
    (("Diversionary activity", "Outcome 22"), "diversionary_activity"),
    (("No further action", "NFA"), "no_further_action"),
]

# victim age bands: (label variants, contract age)
VICTIM_AGES: list[list[tuple[tuple[str, ...], str]]] = [
    [(("11 and under", "11 & Under", "Under 12"), "0-11"), (("12-15", "12 - 15", "12 to 15"),
     "12-15"), (("16 and over", "16+", "16 & over"), "16+"),
     (("Unknown Age", "Not Recorded", "Age not known"), "unknown")],
    [(("Under 10", "0-9"), "0-9"), (("10 to 12", "10-12"), "10-12"),
     (("13 and Over", "13+"), "13+"), (("Not Recorded", "Unknown"), "unknown")],
    [(("Under 13", "0-12"), "0-12"), (("13-15", "13 to 15"), "13-15"),
     (("16-17", "16 to 17"), "16-17"), (("Not known", "Unknown age"), "unknown")],
    [(("Aged 12", "12"), "12-12"), (("Aged 13", "13"), "13-13"), (("Aged 14", "14"), "14-14"),
     (("Aged 15", "15"), "15-15")],
]

SUSPECT_AGES: list[list[tuple[tuple[str, ...], str]]] = [
    [(("Under 18", "0-17"), "0-17"), (("18-24", "18 to 24"), "18-24"),
     (("25-34", "25 to 34"), "25-34"), (("35-44", "35 to 44"), "35-44"),
     (("45 and over", "45+"), "45+"), (("Not Recorded", "Unknown"), "unknown")],
    [(("Under 20",), "0-19"), (("20 to 24",), "20-24"), (("25 to 29",), "25-29"),
     (("30 to 39", "30-39"), "30-39"), (("40 and over", "40+"), "40+"),
     (("Not Recorded",), "unknown")],
]

GENDERS: list[tuple[tuple[str, ...], str]] = [
    (("Female", "FEMALE", "Girls", "F"), "female"),
    (("Male", "MALE", "Boys", "M"), "male"),
    (("Unknown", "Not Recorded", "Not stated"), "unknown"),
]

# Home Office code spellings
CODE_SETS: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = [
    (("71/17",), [("71/17", "7117", "071/17")]),
    (("88/1", "88/2"), [("88/1", "088/01"), ("88/2", "088/02")]),
    (("88A",), [("88A",)]),
]

SUPPRESSION_MARKS = ("*", "<5", "1-4")
PROSE_SUPPRESSED = ("fewer than five", "less than 5", "under five")
