"""The roles a new installation starts with. Administrators edit them afterwards (Django admin);
this table is only the seed. Each entry: resource -> {action: scope}."""

ALL, AGENCY, TEAM, OWN, NATIONALITY, FACILITY = "all", "agency", "team", "own", "nationality", "facility"

DEFAULT_ROLES: dict[str, dict] = {
    "Administrator": {
        "description": "Manages agencies, users and roles. Sees no case content (supervisors keep the deny list).",
        "grants": {
            "access_admin": {"manage": ALL},
            "facility": {"view": ALL, "update": ALL},
            "compound": {"view": ALL, "update": ALL},
            "dashboard": {"view": ALL},
        },
    },
    "Border case officer": {
        "description": "Registers people at the border and tracks where they are held.",
        "grants": {
            "person": {"view": ALL, "list": ALL, "create": AGENCY, "update": AGENCY, "import": AGENCY, "export": AGENCY},
            "person_documents": {"view": ALL, "update": AGENCY},
            "person_vulnerabilities": {"view": ALL, "update": AGENCY},
            "person_placement": {"view": ALL, "update": ALL},
            # The owning agency sees who viewed its records (Primero's access log for owners).
            "person_access_log": {"view": AGENCY},
            "facility": {"view": ALL, "headcount": ALL},
            "compound": {"view": ALL},
            "dashboard": {"view": ALL},
            "break_glass": {"use": ALL},
            "linkage": {"adjudicate": ALL, "link_lists": ALL},
            "screening": {"view": ALL},
            "repatriation": {"view": ALL, "hold": ALL},
            "movement": {"view": ALL},
            # File a lead (recruiter, advert, boss) with the person's consent; sees no intelligence.
            "network": {"contribute": ALL},
        },
    },
    "Screening officer": {
        "description": "Interviews people on the ILO/EC indicators and refers them to the MDT; reads screening statements.",
        "grants": {
            "person": {"view": ALL, "list": ALL, "update": ALL},
            "person_documents": {"view": ALL},
            "person_contacts": {"view": ALL},
            "person_vulnerabilities": {"view": ALL, "update": ALL},
            "person_placement": {"view": ALL},
            "facility": {"view": ALL},
            "compound": {"view": ALL},
            "dashboard": {"view": ALL},
            "break_glass": {"use": ALL},
            "screening": {"view": ALL, "conduct": ALL, "decide": ALL},
            "screening_statement": {"view": ALL},
            "repatriation": {"view": ALL},
            "network": {"contribute": ALL},
        },
    },
    "Social worker": {
        "description": "Supports residents of their facility: needs, family contact with consent.",
        "grants": {
            "person": {"view": FACILITY, "list": FACILITY, "update": FACILITY},
            "person_contacts": {"view": FACILITY, "update": FACILITY},
            "person_vulnerabilities": {"view": FACILITY, "update": FACILITY},
            "person_placement": {"view": FACILITY},
            "facility": {"view": FACILITY},
            "dashboard": {"view": FACILITY},
            "break_glass": {"use": ALL},
            # A second reviewer for screening decisions (A.7.6) of their facility's residents.
            "screening": {"view": FACILITY, "review": FACILITY},
            "screening_statement": {"view": FACILITY},
            # Counselling and the voluntariness check happen where the person stays.
            "repatriation": {"view": FACILITY, "update": FACILITY, "hold": FACILITY},
        },
    },
    "Shelter staff": {
        "description": "Checks residents of their own facility in and out and takes the daily headcount.",
        "grants": {
            "person": {"view": FACILITY, "list": FACILITY},
            "person_vulnerabilities": {"view": FACILITY},
            "person_placement": {"view": FACILITY, "update": FACILITY},
            "facility": {"view": FACILITY, "update": FACILITY, "headcount": FACILITY},
            "dashboard": {"view": FACILITY},
            "repatriation": {"view": FACILITY},
        },
    },
    "Embassy consular officer": {
        "description": "Sees only their own nationals: identity, documents, family contacts.",
        "grants": {
            "person": {"view": NATIONALITY, "list": NATIONALITY, "update": NATIONALITY, "export": NATIONALITY},
            "person_documents": {"view": NATIONALITY, "update": NATIONALITY},
            "person_contacts": {"view": NATIONALITY},
            "person_placement": {"view": NATIONALITY},
            "facility": {"view": ALL},
            "dashboard": {"view": NATIONALITY},
            # Compare the embassy's own list of missing nationals with a handover list.
            "linkage": {"link_lists": ALL},
            # Confirm identities, issue travel documents, record funding decisions: own nationals only.
            "repatriation": {"view": NATIONALITY, "update": NATIONALITY, "hold": NATIONALITY, "fund": NATIONALITY},
            "travel_document": {"issue": NATIONALITY},
            "movement": {"view": ALL, "nominate": NATIONALITY},
        },
    },
    "IOM movement officer": {
        "description": "Plans returns: documents, fitness to travel, where people are held.",
        "grants": {
            "person": {"view": ALL, "list": ALL, "export": ALL},
            "person_documents": {"view": ALL},
            "person_vulnerabilities": {"view": ALL},
            "person_placement": {"view": ALL},
            "facility": {"view": ALL},
            "compound": {"view": ALL},
            "dashboard": {"view": ALL},
            "screening": {"view": ALL, "statistics": ALL},
            "repatriation": {"view": ALL, "update": ALL, "hold": ALL, "plan": ALL, "fund": ALL},
            "travel_document": {"request": ALL},
            "movement": {"view": ALL, "manage": ALL},
        },
    },
    "Police analyst": {
        "description": "Investigates the networks behind the compounds; no family or welfare data.",
        "grants": {
            "person": {"view": ALL, "list": ALL},
            "person_documents": {"view": ALL},
            "compound": {"view": ALL, "update": ALL},
            "facility": {"view": ALL},
            "dashboard": {"view": ALL},
            # The outcome and the hold only, never the statements (NP-1).
            "screening": {"view": ALL},
            "suspect_record": {"view": ALL, "update": ALL},
            # A witness hold stops a return; the case itself is not police business.
            "repatriation": {"hold": ALL},
            # The intelligence compartment is theirs (issue 6).
            "network": {"view": ALL, "edit": ALL, "import": ALL, "export": ALL, "resolve": ALL},
            "flows": {"view": ALL, "import": ALL, "edit": ALL, "export": ALL, "triage": ALL},
        },
    },
    "Prosecutor": {
        "description": "Sees the records their own agency holds (cases referred to it).",
        "grants": {
            "person": {"view": AGENCY, "list": AGENCY},
            "person_documents": {"view": AGENCY},
            "compound": {"view": ALL},
            "dashboard": {"view": AGENCY},
            "screening": {"view": AGENCY},
            "suspect_record": {"view": AGENCY},
            # Investigators read and export the intelligence for a case; they do not edit it.
            "network": {"view": ALL, "export": ALL},
            "flows": {"view": ALL, "export": ALL},
        },
    },
    "Supervisor": {
        "description": "Oversees case work: every section, who viewed each record, break-glass review.",
        "is_supervisor": True,
        "grants": {
            "person": {"view": ALL, "list": ALL, "update": ALL, "export": ALL, "create": AGENCY, "import": AGENCY},
            "person_documents": {"view": ALL, "update": ALL},
            "person_contacts": {"view": ALL, "update": ALL},
            "person_vulnerabilities": {"view": ALL, "update": ALL},
            "person_placement": {"view": ALL, "update": ALL},
            "person_access_log": {"view": ALL},
            "facility": {"view": ALL, "update": ALL, "headcount": ALL},
            "compound": {"view": ALL, "update": ALL},
            "dashboard": {"view": ALL},
            "deny_list": {"manage": ALL},
            "break_glass": {"review": ALL},
            "linkage": {"run": ALL, "adjudicate": ALL, "link_lists": ALL},
            "screening": {"view": ALL, "conduct": ALL, "decide": ALL, "review": ALL, "identify": ALL, "lift_hold": ALL,
                          "oversee": ALL, "export": ALL, "statistics": ALL},
            "screening_statement": {"view": ALL},
            "suspect_record": {"view": ALL},
            "repatriation": {"view": ALL, "update": ALL, "hold": ALL, "plan": ALL, "fund": ALL},
            "travel_document": {"request": ALL},
            "movement": {"view": ALL, "manage": ALL},
        },
    },
    "Auditor": {
        "description": "Reads and verifies the audit log; sees no case content.",
        "grants": {"audit": {"view": ALL, "export": ALL}},
    },
    "System operator": {
        "description": "The command-line account: imports and scenario loading.",
        "grants": {
            "person": {"view": ALL, "list": ALL, "create": AGENCY, "import": AGENCY, "export": ALL},
            "linkage": {"run": ALL, "link_lists": ALL},
            "movement": {"view": ALL, "manage": ALL},
            "facility": {"view": ALL, "update": ALL},
            "compound": {"view": ALL, "update": ALL},
            "network": {"view": ALL, "edit": ALL, "import": ALL, "export": ALL, "resolve": ALL},
            "flows": {"view": ALL, "import": ALL, "edit": ALL, "export": ALL},
        },
    },
}

LEAD_AGENCY = "Joint Coordination Centre (lead agency)"
SYSTEM_USERNAME = "system"
