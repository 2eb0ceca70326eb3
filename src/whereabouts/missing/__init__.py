"""Missing offenders: episodes opened when a person is recorded as missing, closed when located.

An episode is not a table: it is read from the person's ledger (``missing.recorded`` opens
one, ``missing.located`` closes it, a ``void`` withdraws it), so that "who was missing on
30 September 2017" is answered from the ledger in the same way today and in five years.
"""
