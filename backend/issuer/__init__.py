"""The issuer service: members play activities, the service checks them, signs the Claim voucher each earns and hands
it to the relay (docs/activities.md).

- `earn`: how a stamp is earned, as journey files declare it (the models scripts/journeys.py checks), and what of it
  is public;
- `vault`: the secrets journey files only name (quiz answers, code words, rotating-code seeds, partner secrets);
- `rules`: the earn rules in the database;
- `activities`: the checks (a quiz's score, a code, a kiosk's rotating code and QR code);
- `sessions`: Sign-In with Ethereum (EIP-4361) nonces and sessions;
- `store`: every voucher signed, stored before it is returned, and its delivery;
- `partners`: partners' signed receipts (HMAC) and members' codes; `kiosks`: kiosk tokens (scripts/kiosk.py);
- `service`: the `Issuer` (activities → voucher → relay, the delivery rounds); `router`: the `/issuer` routes.
"""
