# A malformed e-mail address.
# expect: Violation shapes:ContactValueShape-email sh:PatternConstraintComponent id:contact/kita-1-email
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "kokusai@kita.example.org" }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "kokusai(at)kita.example.org" }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "kokusai@kita.example.org" }
