"""What `OPTIONS` answers on an API route: DRF's description, with the body taken from the view's
`InputSerializer`.

Our thin views name their input `InputSerializer` (STYLE.md) and most generic ones have no
`serializer_class`; DRF's own metadata asks `get_serializer()` for the body of POST and PUT,
which then fails an assertion (a 500 on a harmless OPTIONS).
"""

from __future__ import annotations

from rest_framework.metadata import SimpleMetadata


def _input_serializer_class(view):
    from rest_framework.generics import GenericAPIView  # DRF's views import this module's class

    if getattr(view, "serializer_class", None) is not None or (
        type(view).get_serializer_class is not GenericAPIView.get_serializer_class
    ):
        return view.get_serializer_class()
    return getattr(view, "InputSerializer", None)


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        serializer_class = _input_serializer_class(view)
        if serializer_class is None:
            return {}
        # This request's view instance only: OPTIONS never calls it for anything else.
        view.get_serializer = lambda *args, **kwargs: serializer_class(*args, **kwargs)
        return super().determine_actions(request, view)
