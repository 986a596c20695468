from django.conf.locale.id import formats as django_formats

SHORT_DATE_FORMAT = django_formats.DATE_FORMAT
SHORT_DATETIME_FORMAT = django_formats.DATETIME_FORMAT
