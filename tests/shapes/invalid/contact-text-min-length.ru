# An empty source text.
# expect: Violation shapes:ContactValueShape-text sh:MinLengthConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai@kita.example.org" }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "" }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai@kita.example.org" }
