"""The vacancies API: employers, members and invitations; an employer's vacancies and
their lifecycle; the public vacancy search."""
