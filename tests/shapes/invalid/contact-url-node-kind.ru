# A contact URL given as a string, not an IRI.
# expect: Violation shapes:ContactValueShape-url sh:NodeConstraintComponent id:contact/kita-1-url
# cause: shapes:HttpUrlShape sh:NodeKindConstraintComponent
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita.example.org/nihon> }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url "http://kita.example.org/nihon" }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita.example.org/nihon> }
