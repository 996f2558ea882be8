from brands.scoping import account_for_request


def current_account(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_account": account_for_request(request)}
