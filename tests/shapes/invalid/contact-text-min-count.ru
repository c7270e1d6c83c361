# A contact value without its source text.
# expect: Violation shapes:ContactValueShape-text sh:MinCountConstraintComponent id:contact/kita-1-email
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/contact/kita-1-email> seirei:sourceText "kokusai@kita.example.org" }
