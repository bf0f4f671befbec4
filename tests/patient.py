"""What a patient types into the appointment form, and the check that none of it leaks anywhere else."""

import time

from appointments import spam

ACKNOWLEDGEMENT = "i_understand_this_form_is_not_for_emergencies_or_medical_details"
PATIENT = {"name": "Jane Q. Patient", "phone": "843-555-0199", "email": "jane.patient@example.com"}
# Anything the patient typed or chose, in the forms it might be echoed.
PATIENT_TRACES = ["Jane", "Patient", "555-0199", "555-0199", "jane.patient", "Sports injury", "Morning"]


def answers(**overrides):
    """What a person posts after filling in the default form for a minute; None leaves a field out."""
    data = {
        **PATIENT,
        "preferred_clinic": "Charleston Clinic",
        "preferred_time_of_day": "Morning",
        "reason_for_your_visit": "Sports injury",
        ACKNOWLEDGEMENT: "on",
        "form_started": spam.issue_form_token(time.time() - 60),
        "came_from": "",
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def assert_no_patient_traces(testcase, text):
    for trace in PATIENT_TRACES:
        testcase.assertNotIn(trace, text)
