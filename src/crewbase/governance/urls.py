from django.urls import path

from crewbase.governance.views import access_review, checklist_items, member_steps, reviews

urlpatterns = [
    path("access-review/", access_review.page, name="governance_access_review"),
    path("access-review/why/", access_review.why, name="governance_explain"),
    path("access-review/checklists/", checklist_items.item_list, name="governance_items"),
    path(
        "access-review/checklists/<str:item_id>/rename/",
        checklist_items.item_rename,
        name="governance_item_rename",
    ),
    path(
        "access-review/checklists/<str:item_id>/delete/",
        checklist_items.item_delete,
        name="governance_item_delete",
    ),
    path(
        "governance/members/<str:member_id>/checklist/<int:item_id>/",
        member_steps.tick,
        name="governance_tick",
    ),
    path(
        "governance/members/<str:member_id>/schedule/",
        member_steps.schedule,
        name="governance_schedule",
    ),
    path(
        "governance/members/<str:member_id>/schedule/cancel/",
        member_steps.cancel_schedule,
        name="governance_schedule_cancel",
    ),
    path("access-review/reviews/", reviews.review_list, name="governance_reviews"),
    path(
        "access-review/reviews/<str:campaign_id>/", reviews.review_detail, name="governance_review"
    ),
    path(
        "access-review/reviews/<str:campaign_id>/items/<int:item_id>/",
        reviews.decide,
        name="governance_review_decide",
    ),
    path(
        "access-review/reviews/<str:campaign_id>/sign-off/",
        reviews.sign_off,
        name="governance_review_sign_off",
    ),
    path(
        "access-review/reviews/<str:campaign_id>/remind/",
        reviews.remind,
        name="governance_review_remind",
    ),
    path(
        "access-review/reviews/<str:campaign_id>/export.csv",
        reviews.export_csv,
        name="governance_review_csv",
    ),
    path(
        "access-review/reviews/<str:campaign_id>/record/",
        reviews.printable,
        name="governance_review_record",
    ),
]
