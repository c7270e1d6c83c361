# A contact URL given as a string, not an IRI.
# expect: Violation shapes:ContactValueShape-url sh:NodeKindConstraintComponent id:contact/kita-1-url
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita.example.org/nihon> }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url "http://kita.example.org/nihon" }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita.example.org/nihon> }
