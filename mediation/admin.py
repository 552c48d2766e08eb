"""Admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """Show records, never add, change or delete them: they change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
