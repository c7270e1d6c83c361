# A source text with a language tag.
# expect: Violation shapes:ContactValueShape-text sh:DatatypeConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai@kita.example.org" }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai@kita.example.org"@en }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai@kita.example.org" }
