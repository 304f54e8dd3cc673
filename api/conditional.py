"""Conditional GET for the API and feeds: an ETag from the response body
(and Last-Modified where a view sets it), answered with 304 when the
client's copy is current."""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware

conditional = decorator_from_middleware(ConditionalGetMiddleware)
