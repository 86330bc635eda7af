"""Template tags for the console layout: the navigation a member's role allows."""

from django import template

from crewbase.console.nav import links_for

register = template.Library()


@register.inclusion_tag("console/nav.html", takes_context=True)
def console_nav(context):
    request = context.get("request")
    return {"links": links_for(request) if request is not None else []}
