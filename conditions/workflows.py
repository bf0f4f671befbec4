"""What the medical review workflow does when the last reviewer approves."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision on the reviewer's behalf (WAGTAIL_FINISH_WORKFLOW_ACTION).

    Medical reviewers approve through the workflow but have no publish permission of their own, so
    that the editor offers them no plain Publish button: approval is the only way their sign-off
    reaches the site. The approval itself is the permission check (only the task's groups may give it).
    """
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
