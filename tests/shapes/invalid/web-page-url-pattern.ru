# A web resource URL whose host has no dot.
# expect: Violation shapes:WebPageShape-url sh:NodeConstraintComponent id:web-resource/kita-living
# cause: shapes:HttpUrlShape sh:PatternConstraintComponent
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://www.kita.example.org/living/> }
INSERT { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://kita/living/> }
WHERE { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://www.kita.example.org/living/> }
