"""The seekers API: the signed-in seeker's own profile, its rows, CV, consent, contact
log, export and erasure."""
