"""Referral cases: from the referral fax to the consult report coming back."""
