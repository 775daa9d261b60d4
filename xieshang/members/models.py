"""Members (委员), sectors, special committees, activity groups, collective bodies, handling units.

History is kept: a change of sector, standing status or special committee closes one dated row
and opens another, so past records keep pointing at what was true then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.fields import BlindIndexField, EncryptedTextField
from xieshang.core.owned import CommitteeOwned
from xieshang.core.validators import mask_id_number, mask_phone
from xieshang.textmining.pinyin import name_keys


class Sector(CommitteeOwned):
    """界别: the sector a member represents."""

    name = models.CharField(_("name"), max_length=50)
    code = models.CharField(_("code"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("members", "active"), default=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["committee", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="sector_unique")]

    def __str__(self) -> str:
        return self.name


class SpecialCommittee(CommitteeOwned):
    """专门委员会. Renames keep the old names; a merge points the old committee at the new one."""

    name = models.CharField(_("name"), max_length=50)
    term = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("formed in term"))
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=pgettext_lazy("members", "merged into"),
    )
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("special committee")
        verbose_name_plural = _("special committees")
        ordering = ["committee", "established_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class ActivityGroup(CommitteeOwned):
    """活动组: sector, street or town group through which members take part in activities."""

    class Kind(models.TextChoices):
        SECTOR = "sector", _("Sector group")
        STREET = "street", _("Street group")
        TOWN = "town", _("Town group")
        OTHER = "other", _("Other group")

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SECTOR)
    term = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+",
                             verbose_name=pgettext_lazy("members", "term"))
    members: models.ManyToManyField[Member, models.Model] = models.ManyToManyField(
        "Member", blank=True, related_name="groups",
                                     verbose_name=pgettext_lazy("members", "members"))

    class Meta:
        verbose_name = _("activity group")
        verbose_name_plural = _("activity groups")
        ordering = ["committee", "name"]

    def __str__(self) -> str:
        return self.name


class CollectiveBody(CommitteeOwned):
    """A body that submits proposals or reports in its own name."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Democratic party")
        ORGANISATION = "organisation", _("People's organisation")
        SECTOR_GROUP = "sector_group", _("Sector group")
        SPECIAL_COMMITTEE = "special_committee", _("Special committee")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    special_committee = models.ForeignKey(SpecialCommittee, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("special committee"))

    class Meta:
        verbose_name = pgettext_lazy("members", "collective body")
        verbose_name_plural = _("collective bodies")
        ordering = ["committee", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="collective_body_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Member(CommitteeOwned):
    """A person who is (or was) a member of this committee."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Serving")
        LEFT = "left", _("Left")

    user = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="member_records", verbose_name=_("login"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    # "zw zhangwei" for 张伟: what pickers find the member by in pinyin, kept with the name.
    name_pinyin = models.CharField(_("name in pinyin"), max_length=400, blank=True,
                                   editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    party = models.CharField(_("political affiliation"), max_length=30, blank=True)
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="members", verbose_name=_("sector"))
    workplace = models.CharField(_("workplace and title"), max_length=200, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, db_index=True)
    # Encrypted at rest (等保 数据保密性); matched through the HMAC blind index beside it.
    id_number = EncryptedTextField(_("ID number"), max_length=18, blank=True)
    id_number_index = BlindIndexField(source="id_number")
    is_standing = models.BooleanField(_("standing committee member"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    joined_on = models.DateField(_("joined on"), default=dt.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = pgettext_lazy("members", "members")
        ordering = ["committee", "sector__order", "name", "id"]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and "id_number" in fields and "id_number_index" not in fields:
            kwargs["update_fields"] = fields = [*fields, "id_number_index"]
        if fields is None or "name" in fields:
            self.spell_name()
            if fields is not None and "name_pinyin" not in fields:
                kwargs["update_fields"] = [*fields, "name_pinyin"]
        super().save(*args, **kwargs)

    def spell_name(self) -> None:
        """Keep ``name_pinyin`` in step with the name (``save`` calls it; a bulk create must)."""
        self.name_pinyin = name_keys(
            self.name, limit=Member._meta.get_field("name_pinyin").max_length)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class TermMembership(CommitteeOwned):
    """One continuous period of a member in a term with one sector and standing status."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="tenures")
    term = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="tenures")
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    is_standing = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("term membership")
        verbose_name_plural = _("term memberships")
        ordering = ["member", "start_date"]

    def __str__(self) -> str:
        return f"{self.member} {self.start_date}–{self.end_date or ''}"


class Position(CommitteeOwned):
    """A leadership position held in a term."""

    class Kind(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
        STANDING_MEMBER = "standing_member", _("Standing committee member")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions",
                               verbose_name=_("member"))
    term = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+",
                             verbose_name=pgettext_lazy("members", "term"))
    kind = models.CharField(_("position"), max_length=32, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["term", "kind", "start_date"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()}"


class SpecialCommitteeMembership(CommitteeOwned):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        DEPUTY = "deputy", _("Deputy director")
        MEMBER = "member", _("Member")

    member = models.ForeignKey(Member, on_delete=models.CASCADE,
                               related_name="special_committee_memberships")
    special_committee = models.ForeignKey(SpecialCommittee, on_delete=models.PROTECT,
                                          related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(default=dt.date.today)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("special committee membership")
        verbose_name_plural = _("special committee memberships")
        ordering = ["special_committee", "role"]

    def __str__(self) -> str:
        return f"{self.member} @ {self.special_committee}"


class HandlingUnit(CommitteeOwned):
    """承办单位: a body that answers proposals."""

    class Kind(models.TextChoices):
        PARTY_ORGAN = "party_organ", _("Party organ")
        GOVERNMENT = "government", _("Government department")
        PEOPLES_CONGRESS = "peoples_congress", _("People's congress")
        COURT = "court", _("Court")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices, default=Kind.GOVERNMENT)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    keywords = models.TextField(_("routing keywords"), blank=True,
                                help_text=_("Words that suggest this unit, separated by spaces."))
    is_active = models.BooleanField(pgettext_lazy("members", "active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="handling_unit_unique"),
        ]

    def __str__(self) -> str:
        return self.name
