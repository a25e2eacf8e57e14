"""The commented target template ``conformance init sp`` writes: every setting of [sp] and [idp], with
what it is for and which scenarios skip without it. As written it is a valid target file (example
values, Skatteverket test personnummer); a vendor replaces the URLs and contacts with their own."""

from __future__ import annotations

__all__ = ["SP_TARGET_TEMPLATE"]

SP_TARGET_TEMPLATE = """\
# Target file for the SP suite: your SAML Service Provider, as 1177's jump-out reaches it.
# Check it before a run:   conformance check-target THIS_FILE
# Run the suite:           conformance run sp --target THIS_FILE --out reports/my-sp
# Relative paths are relative to this file. A misspelt setting is an error that names the valid ones.

[target]
name = "ExampleVendor SP, test environment"

[idp]
# Where the mock 1177 IdP listens during a run, and the folder its signing keys persist in. Give your SP
# this IdP's metadata once:  conformance idp metadata --target THIS_FILE --out idp-metadata.xml
base_url = "http://127.0.0.1:8443"
state_dir = ".state/idp"

[sp]
entity_id = "https://127.0.0.1:9443/saml/metadata"
acs_url = "https://127.0.0.1:9443/saml/acs"
metadata = "https://127.0.0.1:9443/saml/metadata"   # a URL, or a file
ca_bundle = ""                       # the CA of your SP's TLS certificate ("" = the system's CAs)

# How a login starts. login_url: the page that starts your SP's own login (SP-initiated); without it the
# InResponseTo and RelayState scenarios for that flow skip. allow_unsolicited: whether your SP accepts a
# Response it did not ask for (IdP-initiated, as 1177's jump-out may be); with false and a login_url, the
# suite also checks a Response without InResponseTo is refused while your own request is pending.
login_url = "https://127.0.0.1:9443/login"
allow_unsolicited = true

# Where your SP reads the personnummer: "urn:oid:1.2.752.29.4.13" (the Swedish eID name),
# "Subject_SerialNumber" (the name Inera's own services read), or "both": the IdP then sends both
# attributes with the same value, and your SP may read either (the scenario checking that an undeclared
# name is ignored then skips).
personnummer_attribute = "urn:oid:1.2.752.29.4.13"
# Which signature your SP requires: "either" (Response or Assertion), "response", "assertion" or "both".
signature_policy = "either"
# Whether your SP serves people with a samordningsnummer (day + 60). false: the suite logs in one of
# Skatteverket's test samordningsnummer that is no contact, and your SP must start no session for it.
accepts_samordningsnummer = false
# The levels of assurance your SP accepts (AuthnContextClassRef); with loa2 listed, the low-LoA case skips.
accepted_loa = ["http://id.elegnamnden.se/loa/1.0/loa3", "http://id.swedenconnect.se/loa/1.0/uncertified-loa3"]

# Your SP's own clock-skew allowance, in seconds: the within-skew cases shift a time by half of it and
# expect a login, the beyond-skew cases by it plus 60 s and expect a refusal. Set it to what your SP
# allows (Shibboleth SP: its clockSkew, 180 by default), or the within-skew cases warn wrongly; a finding
# says so when a shifted login is refused while an unshifted one works. If your SP allows a different
# skew per time window, set it per window too (0 = no allowance: that window's within-skew case skips).
clock_skew_seconds = 180
# conditions_skew_seconds = 180            # Conditions NotBefore / NotOnOrAfter
# subject_confirmation_skew_seconds = 60   # bearer SubjectConfirmationData NotOnOrAfter

# Pages that show a logged-in contact's data: the suite opens them after every login and looks for the
# contacts' data markers. With no data page, list the session probe's URL here and give each contact a
# marker the probe shows for that contact alone (e.g. its personnummer, if the probe prints it).
data_urls = ["https://127.0.0.1:9443/programs"]

# A page that says who is logged in: HTTP 200 with the personnummer (read by a JSON pointer, or by
# personnummer_regex with one group), anything else (401/403) without a session.
session_probe = { url = "https://127.0.0.1:9443/whoami", personnummer_pointer = "/personnummer" }

# Skatteverket's test personnummer your SP does NOT hold as contacts (never real ones).
not_contacts = ["196506232880"]
# A contact born 19YY and the 20YY number with the same ten digits, which must never match it
# (without it, the century scenario skips).
century_twin = ["196507132758", "206507132758"]

# If your SP sends its outbound HTTP through HTTP_PROXY/HTTPS_PROXY: point it at http://127.0.0.1:PORT
# and set these; the suite then records every outbound call your SP makes during a run.
honours_proxy = false
# proxy_port = 3128

# The contacts your SP holds (Skatteverket's test personnummer only). data_marker: text that only this
# contact's data pages show, matched as a whole token (not inside a longer word or number): choose
# something unique per contact and unlikely elsewhere, e.g. the title of a program saved for that
# contact ("Knäprogram Anna 01"), or the personnummer itself if the page prints it. given_name and
# surname: the name your SP holds; the IdP then sends it, and a namesake with another personnummer must
# get none of the contact's data (without them that scenario skips).
[[sp.contacts]]
personnummer = "195006262546"
data_marker = "EXAMPLE-PROGRAM-01"
given_name = "Elsa Maria"
surname = "Öberg"

[[sp.contacts]]
personnummer = "196507132758"
data_marker = "EXAMPLE-PROGRAM-02"
given_name = "Kalle"
surname = "Ström"

# A contact holding a test samordningsnummer (testsamordningsnummer.csv), if your SP serves them:
# [[sp.contacts]]
# personnummer = "191401682396"
# data_marker = "EXAMPLE-PROGRAM-03"
"""
