from rest_framework.routers import SimpleRouter

from brands.api.views import BrandViewSet

router = SimpleRouter()
router.register("brands", BrandViewSet, basename="brand")

urlpatterns = router.urls
